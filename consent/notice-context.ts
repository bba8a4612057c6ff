/**
 * What a notice and a receipt name beyond the terms: the offices as registered (name, type,
 * address, DPO contact), how long each recipient may keep the data under the policy in force, and
 * the tenant's supervisory authority. Loaded here, once, for both, so the notice the person reads
 * and the receipt they keep cannot name different parties.
 */
import { GatewayError } from '../core/index.ts';
import type { AgencyType, Language, PolicySet } from '../policies/index.ts';
import { supervisoryAuthorityOf, type SupervisoryAuthority } from '../tenants/index.ts';
import type { ConsentDeps } from './deps.ts';
import {
  noticeForTerms,
  noticeHash,
  type ConsentNotice,
  type NoticeParty,
  type NoticeTerms,
} from './notice.ts';
import type { ReceiptController } from './receipt.ts';
import type { WithdrawalMethod } from './withdrawal-methods.ts';

/** The ports the notice needs: registered offices, the tenant and the policy. */
export type NoticeDeps = Pick<ConsentDeps, 'pki' | 'tenants' | 'policy' | 'withdrawalMethods'>;

/** The parties of some terms and the tenant's supervisory authority, loaded once. */
export interface NoticeParties {
  readonly senders: readonly NoticeParty[];
  /** Each with `retentionDays`. */
  readonly recipients: readonly NoticeParty[];
  readonly supervisoryAuthority: SupervisoryAuthority;
}

/**
 * The longest any rule lets `recipientType` keep what these terms send it: rules for the purpose,
 * from one of the senders' types, covering at least one requested category.
 */
function retentionDays(
  policy: PolicySet,
  terms: NoticeTerms,
  senderTypes: readonly AgencyType[],
  recipientType: AgencyType,
): number | undefined {
  const days = policy.rules
    .filter(
      (rule) =>
        rule.purpose === terms.purpose &&
        rule.to.includes(recipientType) &&
        rule.from.some((type) => senderTypes.includes(type)) &&
        rule.categories.some((category) => terms.categories.includes(category)),
    )
    .map((rule) => rule.retentionDays);
  return days.length === 0 ? undefined : Math.max(...days);
}

/**
 * Loads the offices of `terms` with their address and DPO contact, each recipient's retention
 * from `deps.policy`, and the tenant's supervisory authority (NRW's where none is set).
 *
 * @throws GatewayError `internal_error` when a party is not a registered agency (requests name
 *   registered agencies only: broken data, never guessed) or the tenant is unknown;
 *   `policy_denied` when no rule of the policy in force lets a recipient receive these terms, so
 *   there is no retention to tell the person (e.g. the policy changed after the request).
 */
export async function noticeParties(
  deps: NoticeDeps,
  tenantId: string,
  terms: NoticeTerms,
): Promise<NoticeParties> {
  const tenant = await deps.tenants.get(tenantId);
  if (tenant === undefined) throw new GatewayError('internal_error');
  const load = async (id: string): Promise<NoticeParty> => {
    const principal = await deps.pki.principal(tenantId, id);
    if (principal?.kind !== 'agency' || principal.agencyType === null) {
      throw new GatewayError('internal_error');
    }
    return {
      id,
      name: principal.displayName,
      agencyType: principal.agencyType,
      address: principal.address,
      dpoContact: principal.dpoContact,
    };
  };
  const senders = await Promise.all(terms.senders.map(load));
  const senderTypes = senders.map((s) => s.agencyType);
  const recipients = await Promise.all(
    terms.recipients.map(async (id) => {
      const party = await load(id);
      const days = retentionDays(deps.policy, terms, senderTypes, party.agencyType);
      if (days === undefined) {
        throw new GatewayError('policy_denied', {
          reasons: [
            {
              code: 'policy_denied',
              message: `no rule of policy ${deps.policy.version} lets ${id} receive this`,
            },
          ],
        });
      }
      return { ...party, retentionDays: days };
    }),
  );
  return { senders, recipients, supervisoryAuthority: supervisoryAuthorityOf(tenant) };
}

/**
 * The notice for `terms` in `language`, naming every office as controller with its address and
 * DPO contact, each recipient's retention under the policy in force and the tenant's supervisory
 * authority, with its hash. Deterministic: the same terms, registrations, policy, tenant settings
 * and language give the same text and hash, which the grant checks again.
 *
 * @example
 * ```ts
 * const { notice, hash } = await noticeFor(deps, request.tenantId, request, 'ar');
 * ```
 * @throws GatewayError as {@link noticeParties}.
 */
export async function noticeFor(
  deps: NoticeDeps,
  tenantId: string,
  terms: NoticeTerms,
  language: Language,
  options: { readonly withdrawalMethods?: readonly WithdrawalMethod[] } = {},
): Promise<{ notice: ConsentNotice; hash: string }> {
  const withdrawalMethods = options.withdrawalMethods ?? deps.withdrawalMethods;
  const parties = await noticeParties(deps, tenantId, terms);
  const byId = new Map([...parties.senders, ...parties.recipients].map((p) => [p.id, p]));
  const notice = noticeForTerms(terms, language, {
    partyOf: (id) => {
      const party = byId.get(id);
      if (party === undefined) throw new GatewayError('internal_error');
      return party;
    },
    supervisoryAuthority: parties.supervisoryAuthority,
    ...(withdrawalMethods === undefined ? {} : { withdrawalMethods }),
  });
  return { notice, hash: await noticeHash(notice) };
}

/**
 * The controllers a receipt names (senders, then recipients, with address, DPO contact and the
 * recipients' retention) and the tenant's supervisory authority: the same data the notice shows.
 * Spread the answer into `receiptClaims`.
 *
 * @example
 * ```ts
 * const parties = await receiptParties(deps, request.tenantId, request);
 * const claims = receiptClaims({ ...parties, consent, consentVersion: 1, issuer, withdrawal, at });
 * ```
 * @throws GatewayError as {@link noticeParties}.
 */
export async function receiptParties(
  deps: NoticeDeps,
  tenantId: string,
  terms: NoticeTerms,
): Promise<{
  controllers: ReceiptController[];
  supervisoryAuthority: SupervisoryAuthority;
}> {
  const parties = await noticeParties(deps, tenantId, terms);
  const controller =
    (role: ReceiptController['role']) =>
    (party: NoticeParty): ReceiptController => ({
      id: party.id,
      name: party.name,
      agencyType: party.agencyType,
      role,
      address: party.address ?? null,
      dpoContact: party.dpoContact ?? null,
      ...(party.retentionDays === undefined ? {} : { retentionDays: party.retentionDays }),
    });
  return {
    controllers: [
      ...parties.senders.map(controller('sender')),
      ...parties.recipients.map(controller('recipient')),
    ],
    supervisoryAuthority: parties.supervisoryAuthority,
  };
}
