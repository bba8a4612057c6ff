import { wrapSecret } from '../../certs/index.ts';
import {
  decideConsent,
  type ConsentDecision,
  type ConsentFlow,
  type ConsentRecord,
  type ConsentRequestRecord,
  type ConsentState,
} from '../../consent/index.ts';
import { FixedClock, randomBytes, randomId, type Clock } from '../../core/index.ts';
import { openSqliteStorage } from '../../storage/sqlite/index.ts';
import { pkiDeps, provisionedTenant } from './pki.ts';
import { tempDir } from './temp.ts';

export const DAY = 24 * 3600 * 1000;
/** The moment the stored consents are set up at; consents are dated relative to it. */
export const T0 = Date.parse('2026-11-25T10:00:00.000Z');
export const iso = (ms: number) => new Date(ms).toISOString();
export const at = (ms: number) => new FixedClock(iso(ms));

export const ABH = 'abh-koeln';
export const JC = 'jc-koeln';
export const SOZ = 'sozialamt-koeln';

/** A consent to record: who may send to whom, for what, which categories, from when until when. */
export interface ConsentSpec extends Pick<
  ConsentRecord,
  'subject' | 'senders' | 'recipients' | 'purpose' | 'categories'
> {
  /** `koeln` unless given. */
  readonly tenantId?: string;
  /** Milliseconds since the epoch, where the record has ISO text. */
  readonly validFrom: number;
  readonly validUntil: number;
}

/** What a send asks: a flow of one person's data in one tenant. */
export interface ConsentQuestion extends ConsentFlow {
  readonly tenantId: string;
  /** The subject's pseudonym. */
  readonly subject: string;
}

/** A ConsentStore on real SQLite with the tenants `koeln` and `dortmund`, and ways to fill it. */
export interface StoredConsents {
  /** A subject (pseudonym) recorded in the tenant, as ensureSubject leaves it. */
  newSubject(tenantId?: string): Promise<string>;
  /**
   * Records a consent the way the portal's grant does: a request (pending), then its approval and
   * the consent (version 1, active) in one decideRequest. Answers the consent's id.
   */
  grant(spec: ConsentSpec): Promise<string>;
  /** Moves a consent of `koeln` to `state` at `when`, as the subject (revoked) or the system. */
  change(consentId: string, state: ConsentState, when: number): Promise<void>;
  /** The decision as `sendExchange` takes it: the stored candidates, then the one pure function. */
  decide(clock: Clock, q: ConsentQuestion): Promise<ConsentDecision>;
  /** Closes the store and deletes its directory. */
  close(): void;
}

/**
 * Opens a fresh SQLite store in a temporary directory, provisioned at T0; the caller closes it.
 *
 * @example
 * let stored: StoredConsents;
 * beforeAll(async () => { stored = await openStoredConsents(); });
 * afterAll(() => { stored.close(); });
 */
export async function openStoredConsents(): Promise<StoredConsents> {
  const dir = tempDir();
  const storage = openSqliteStorage(dir.path);
  const store = storage.consents;
  const pki = await pkiDeps(storage, at(T0));
  await provisionedTenant(pki, 'koeln');
  await provisionedTenant(pki, 'dortmund');

  async function newSubject(tenantId = 'koeln'): Promise<string> {
    const pseudonym = randomId('ps');
    await store.ensureSubject(
      tenantId,
      pseudonym,
      () =>
        wrapSecret(
          pki.masterKey,
          randomBytes(32),
          `consent-gateway/${tenantId}/subject/${pseudonym}`,
        ),
      iso(T0),
    );
    return pseudonym;
  }

  async function grant(spec: ConsentSpec): Promise<string> {
    const tenantId = spec.tenantId ?? 'koeln';
    const requestedBy = spec.senders[0] ?? ABH;
    const parties = [...new Set([requestedBy, ...spec.senders, ...spec.recipients])];
    const request: ConsentRequestRecord = {
      id: randomId('cr'),
      tenantId,
      subject: spec.subject,
      requestedBy,
      senders: spec.senders,
      recipients: spec.recipients,
      purpose: spec.purpose,
      categories: spec.categories,
      validUntil: iso(spec.validUntil),
      language: 'de',
      noticeText: 'Einwilligung …',
      noticeHash: 'notice-hash',
      codeHash: randomId('code'),
      secondFactorHash: randomId('sf'),
      codeExpiresAt: iso(spec.validFrom + 14 * DAY),
      createdAt: iso(spec.validFrom - 1000),
    };
    await store.addRequest(request, parties);
    const consent: ConsentRecord = {
      id: randomId('cs'),
      tenantId,
      subject: spec.subject,
      requestId: request.id,
      senders: spec.senders,
      recipients: spec.recipients,
      purpose: spec.purpose,
      categories: spec.categories,
      validFrom: iso(spec.validFrom),
      validUntil: iso(spec.validUntil),
      language: 'de',
      noticeHash: request.noticeHash,
      channel: 'portal-code',
      assurance: 'low',
      receiptId: randomId('rc'),
      receipt: 'eyJ.receipt.sig',
      createdAt: iso(spec.validFrom),
    };
    const decided = await store.decideRequest(
      request.id,
      1,
      { state: 'approved', at: iso(spec.validFrom), actor: 'subject' },
      { record: consent, parties },
    );
    if (!decided) throw new Error('request was not pending');
    return consent.id;
  }

  async function change(consentId: string, state: ConsentState, when: number): Promise<void> {
    const found = await store.consent('koeln', consentId);
    if (!found) throw new Error(`no consent ${consentId}`);
    const ok = await store.changeConsent(consentId, found.current.version, {
      state,
      at: iso(when),
      actor: state === 'revoked' ? 'subject' : 'system',
    });
    if (!ok) throw new Error('consent changed meanwhile');
  }

  async function decide(clock: Clock, q: ConsentQuestion): Promise<ConsentDecision> {
    return decideConsent(await store.consentsFor(q.tenantId, q.subject, q.purpose), q, clock.now());
  }

  return {
    newSubject,
    grant,
    change,
    decide,
    close: () => {
      storage.close();
      dir.remove();
    },
  };
}
