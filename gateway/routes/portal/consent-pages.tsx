import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  effectiveState,
  personsConsent,
  personsConsents,
  personsHistory,
  personsOpenRequests,
  revokeConsent,
  type ConsentWithState,
  type PortalPerson,
} from '../../../consent/index.ts';
import { label, SPECIAL_CATEGORIES, type DataCategory } from '../../../policies/index.ts';
import type { GatewayEnv } from '../../env.ts';
import { idOf, type PortalContext, type PortalKit } from '../../portal/kit.tsx';
import type { Translator } from '../../portal/i18n.ts';
import type { MessageKey } from '../../portal/messages/de.ts';
import {
  ConsentsPage,
  type ConsentItemView,
  type OpenRequestView,
} from '../../portal/pages/consents.tsx';
import { HistoryPage, type HistoryItemView } from '../../portal/pages/history.tsx';
import { ReceiptPage } from '../../portal/pages/receipt.tsx';
import { decisionPost } from './request-pages.tsx';

/**
 * The receipt as a page: what was agreed, with whom, how and how surely it was given. Right after
 * the grant it also shows the withdrawal code, the only time the code exists in clear.
 */
export async function renderReceipt(
  kit: PortalKit,
  c: PortalContext,
  person: PortalPerson,
  found: ConsentWithState,
  extra: { withdrawalCode?: string } = {},
): Promise<Response> {
  const tr = kit.languageOf(c);
  const { consent } = found;
  const party = (role: 'sender' | 'recipient') => async (id: string) => ({
    name: await kit.agencyName(consent.tenantId, id),
    role,
  });
  const special = consent.categories.some((c) => SPECIAL_CATEGORIES.includes(c as DataCategory));
  return c.html(
    <ReceiptPage
      frame={kit.frame(c, tr, tr.t('receipt.title'), person)}
      view={{
        consentId: consent.id,
        receiptId: consent.receiptId,
        issuedAt: consent.createdAt,
        state: effectiveState(found, kit.deps.clock.now()),
        parties: [
          ...(await Promise.all(consent.senders.map(party('sender')))),
          ...(await Promise.all(consent.recipients.map(party('recipient')))),
        ],
        purpose: label('purpose', consent.purpose, tr.language).name,
        categories: kit.categoryNames(consent.categories, tr.language),
        validFrom: consent.validFrom,
        validUntil: consent.validUntil,
        legalBasis: ['GDPR Art. 6(1)(a)', ...(special ? ['GDPR Art. 9(2)(a)'] : [])],
        withdrawalUrl: `${kit.deps.publicUrl}/portal/withdraw`,
        noticeHash: consent.noticeHash,
        noticeText: consent.noticeText,
        noticeLanguage: consent.language,
        channel: tr.t(`channel.${consent.channel}` as MessageKey),
        assurance: tr.t(`assurance.${consent.assurance}` as MessageKey),
        withdrawalCode: extra.withdrawalCode,
      }}
    />,
  );
}

/** The consents a session reaches, revoking one, its receipt, and the history. */
export function registerConsentPages(app: OpenAPIHono<GatewayEnv>, kit: PortalKit): void {
  registerConsentList(app, kit);
  registerReceiptPages(app, kit);
  registerHistoryPage(app, kit);
}

/** The list of consents, and revoking one from it. */
function registerConsentList(app: OpenAPIHono<GatewayEnv>, kit: PortalKit): void {
  app.get(
    '/portal/consents',
    kit.page(async (c) => {
      const person = await kit.signedIn(c);
      if (!person) return kit.toSignIn(c, 'needed');
      const tr = kit.languageOf(c);
      const done = c.req.query('done') === 'revoked' ? ({ done: 'revoked' } as const) : {};
      // An identity-verified sign-in that matches no request shows nothing, and says why.
      const nobody = person.access.kind === 'person' && person.subjects.length === 0;
      return renderConsents(kit, c, person, nobody ? { notice: tr.t('signIn.eidNoMatch') } : done);
    }),
  );

  app.post(
    '/portal/consents/:id/revoke',
    kit.page(async (c) => {
      const decision = await decisionPost(kit, c);
      if (!decision) return kit.toSignIn(c, 'needed');
      const { form, person, id } = decision;
      if (form.confirm !== 'yes') return renderConsents(kit, c, person, { unconfirmed: id });
      await revokeConsent(kit.deps, person, id);
      return c.redirect('/portal/consents?done=revoked', 303);
    }),
  );
}

/** A consent's receipt, as a page and as the signed JWT to download. */
function registerReceiptPages(app: OpenAPIHono<GatewayEnv>, kit: PortalKit): void {
  app.get(
    '/portal/consents/:id/receipt',
    kit.page(async (c) => {
      const person = await kit.signedIn(c);
      if (!person) return kit.toSignIn(c, 'needed');
      return renderReceipt(kit, c, person, await personsConsent(kit.deps, person, idOf(c)));
    }),
  );

  app.get(
    '/portal/consents/:id/receipt.jwt',
    kit.page(async (c) => {
      const person = await kit.signedIn(c);
      if (!person) return kit.toSignIn(c, 'needed');
      const { consent } = await personsConsent(kit.deps, person, idOf(c));
      c.header('Content-Type', 'application/jwt');
      c.header('Content-Disposition', `attachment; filename="receipt-${consent.receiptId}.jwt"`);
      return c.body(consent.receipt);
    }),
  );
}

function registerHistoryPage(app: OpenAPIHono<GatewayEnv>, kit: PortalKit): void {
  app.get(
    '/portal/history',
    kit.page(async (c) => {
      const person = await kit.signedIn(c);
      if (!person) return kit.toSignIn(c, 'needed');
      const tr = kit.languageOf(c);
      return c.html(
        <HistoryPage
          frame={kit.frame(c, tr, tr.t('history.title'), person)}
          items={await historyItems(kit, person, tr)}
        />,
      );
    }),
  );
}

/**
 * The consents page; 422 when a revoke came without its confirmation tick, so the form shows
 * again with the hint.
 */
async function renderConsents(
  kit: PortalKit,
  c: PortalContext,
  person: PortalPerson,
  extra: { done?: 'revoked'; unconfirmed?: string; notice?: string } = {},
): Promise<Response> {
  const tr = kit.languageOf(c);
  const items = await consentItems(kit, person, tr);
  const open = await openRequests(kit, person, tr);
  return c.html(
    <ConsentsPage
      frame={kit.frame(c, tr, tr.t('consents.title'), person)}
      view={{ items, open, csrf: kit.csrf.token(c), ...extra }}
    />,
    extra.unconfirmed === undefined ? 200 : 422,
  );
}

/** The person's consents, newest first, in words. */
async function consentItems(
  kit: PortalKit,
  person: PortalPerson,
  tr: Translator,
): Promise<ConsentItemView[]> {
  const now = kit.deps.clock.now();
  const consents = (await personsConsents(kit.deps, person)).reverse();
  return Promise.all(
    consents.map(async ({ consent, current }) => ({
      id: consent.id,
      state: effectiveState({ consent, current }, now),
      purpose: label('purpose', consent.purpose, tr.language).name,
      senders: await kit.names(consent.tenantId, consent.senders),
      recipients: await kit.names(consent.tenantId, consent.recipients),
      categories: kit.categoryNames(consent.categories, tr.language),
      validFrom: consent.validFrom,
      validUntil: consent.validUntil,
      changedAt: current.at,
      revokedThrough:
        current.state === 'revoked' && current.channel !== undefined
          ? tr.t(`channel.${current.channel}` as MessageKey)
          : undefined,
    })),
  );
}

/** The person's requests still waiting for a decision. */
async function openRequests(
  kit: PortalKit,
  person: PortalPerson,
  tr: Translator,
): Promise<OpenRequestView[]> {
  return Promise.all(
    (await personsOpenRequests(kit.deps, person)).map(async ({ request }) => ({
      id: request.id,
      purpose: label('purpose', request.purpose, tr.language).name,
      office: await kit.agencyName(request.tenantId, request.requestedBy),
    })),
  );
}

/**
 * The person's history, newest first, in words: offices by their names, never their ids, and
 * each consent by its purpose, so the link to its receipt says which one it opens.
 */
async function historyItems(
  kit: PortalKit,
  person: PortalPerson,
  tr: Translator,
): Promise<HistoryItemView[]> {
  const purposeOf = new Map(
    (await personsConsents(kit.deps, person)).map(({ consent }) => [
      consent.id,
      label('purpose', consent.purpose, tr.language).name,
    ]),
  );
  const lines = (await personsHistory(kit.deps, person)).filter(
    ({ entry }) => entry.event !== 'audit.read' && entry.event !== 'audit.exported',
  );
  // The store gives the oldest first; a person looks for what happened last.
  return Promise.all(
    lines.reverse().map(async ({ tenantId, entry }) => {
      const key = `event.${entry.event}`;
      const one = (id: string | undefined) =>
        id === undefined ? undefined : kit.agencyName(tenantId, id);
      const many = async (ids: readonly string[] | undefined) =>
        ids === undefined || ids.length === 0 ? undefined : tr.list(await kit.names(tenantId, ids));
      return {
        at: entry.time,
        what: isEventKey(key) ? tr.t(key) : tr.t('event.other'),
        // A request names the office that asked; its actor is that office's id.
        askedBy: entry.event === 'consent.requested' ? await one(entry.actor) : undefined,
        from: (await one(entry.sender)) ?? (await many(entry.senders)),
        to: (await one(entry.recipient)) ?? (await many(entry.recipients)),
        categories:
          entry.categories === undefined
            ? undefined
            : kit.categoryNames(entry.categories, tr.language),
        purpose:
          entry.purpose === undefined
            ? undefined
            : label('purpose', entry.purpose, tr.language).name,
        consent:
          entry.consentId === undefined
            ? undefined
            : { id: entry.consentId, purpose: purposeOf.get(entry.consentId) },
      };
    }),
  );
}

const EVENT_KEYS = [
  'event.consent.requested',
  'event.consent.granted',
  'event.consent.declined',
  'event.consent.revoked',
  'event.consent.expired',
  'event.request.expired',
  'event.exchange.accepted',
  'event.exchange.refused',
  'event.exchange.delivered',
  'event.exchange.acknowledged',
  'event.exchange.withheld',
  'event.exchange.purged',
] as const;
const isEventKey = (key: string): key is (typeof EVENT_KEYS)[number] =>
  (EVENT_KEYS as readonly string[]).includes(key);
