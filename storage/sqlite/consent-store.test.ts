import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { wrapSecret, type PkiDeps, type WrappedKey } from '../../certs/index.ts';
import type {
  ConsentRecord,
  ConsentRequestRecord,
  ConsentStore,
  PortalSession,
} from '../../consent/index.ts';
import { FixedClock, randomBytes, randomId } from '../../core/index.ts';
import { pkiDeps, provisionedTenant } from '../../test/support/pki.ts';
import { tempDir } from '../../test/support/temp.ts';
import { openSqliteStorage, type SqliteStorage } from './storage.ts';

const clock = new FixedClock('2026-11-25T10:00:00Z');
const NOW = clock.now().toISOString();
const LATER = '2026-11-25T10:05:00.000Z';

let dir: ReturnType<typeof tempDir>;
let storage: SqliteStorage;
let store: ConsentStore;
let pki: PkiDeps;

beforeEach(async () => {
  dir = tempDir();
  storage = openSqliteStorage(dir.path);
  store = storage.consents;
  pki = await pkiDeps(storage, clock);
  await provisionedTenant(pki, 'koeln');
  await provisionedTenant(pki, 'dortmund');
});
afterEach(() => {
  storage.close();
  dir.remove();
});

const count = (sql: string, ...params: unknown[]): number =>
  storage.db
    .prepare(sql)
    .pluck()
    .get(...params) as number;

/**
 * What `work` failed with, whether it threw at once or rejected: the atomicity tests look at what
 * was left in the database, not at how the failure travelled (that has its own test below).
 */
async function failureOf(work: () => Promise<unknown>): Promise<Error | undefined> {
  try {
    await work();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

const newKey = (): Promise<WrappedKey> => wrapSecret(pki.masterKey, randomBytes(32), 'test/slot');

async function subject(tenantId = 'koeln'): Promise<string> {
  const pseudonym = randomId('ps');
  await store.ensureSubject(tenantId, pseudonym, newKey, NOW);
  return pseudonym;
}

function requestRecord(
  subjectId: string,
  overrides: Partial<ConsentRequestRecord> = {},
): ConsentRequestRecord {
  return {
    id: randomId('cr'),
    tenantId: 'koeln',
    subject: subjectId,
    requestedBy: 'abh-koeln',
    senders: ['abh-koeln'],
    recipients: ['jc-koeln'],
    purpose: 'labour_market_integration',
    categories: ['residence_status', 'employment_permission'],
    validUntil: '2027-03-31T21:59:59.000Z',
    language: 'de',
    noticeText: 'Ich willige ein …',
    noticeHash: 'nh',
    codeHash: randomId('code'),
    secondFactorHash: randomId('sf'),
    codeExpiresAt: '2026-12-09T10:00:00.000Z',
    createdAt: NOW,
    ...overrides,
  };
}

function consentRecord(
  request: ConsentRequestRecord,
  overrides: Partial<ConsentRecord> = {},
): ConsentRecord {
  return {
    id: randomId('cs'),
    tenantId: request.tenantId,
    subject: request.subject,
    requestId: request.id,
    senders: request.senders,
    recipients: request.recipients,
    purpose: request.purpose,
    categories: request.categories,
    validFrom: NOW,
    validUntil: request.validUntil,
    language: request.language,
    noticeHash: request.noticeHash,
    channel: 'portal-code',
    assurance: 'low',
    receiptId: randomId('rc'),
    receipt: 'eyJ.receipt.sig',
    createdAt: NOW,
    ...overrides,
  };
}

const partiesOf = (r: ConsentRequestRecord) => [
  ...new Set([r.requestedBy, ...r.senders, ...r.recipients]),
];

async function pendingRequest(overrides: Partial<ConsentRequestRecord> = {}) {
  const request = requestRecord(await subject(overrides.tenantId), overrides);
  await store.addRequest(request, partiesOf(request));
  return request;
}

/** A granted request: approval (version 2) and consent (version 1, active) in one go. */
async function grantedConsent(overrides: Partial<ConsentRequestRecord> = {}) {
  const request = await pendingRequest(overrides);
  const consent = consentRecord(request);
  const ok = await store.decideRequest(
    request.id,
    1,
    { state: 'approved', at: NOW, actor: 'subject' },
    { record: consent, parties: partiesOf(request) },
  );
  if (!ok) throw new Error('not decided');
  return { request, consent };
}

describe('sqlite ConsentStore: versions', () => {
  it('records a request with its first version, pending, by the requesting agency', async () => {
    const request = await pendingRequest();
    const found = await store.request('koeln', request.id);
    expect(found?.request).toEqual(request);
    expect(found?.current).toMatchObject({
      refId: request.id,
      version: 1,
      state: 'pending',
      at: NOW,
      actor: 'abh-koeln',
    });
    expect(found?.failedAttempts).toBe(0);
  });

  it('refuses to UPDATE a consent version: the table is append-only', async () => {
    const { consent } = await grantedConsent();
    const before = storage.db.prepare('SELECT * FROM consent_versions ORDER BY seq').all();
    expect(() =>
      storage.db
        .prepare("UPDATE consent_versions SET state = 'active' WHERE ref_id = ?")
        .run(consent.id),
    ).toThrow(/append-only/);
    expect(() => storage.db.prepare("UPDATE consent_versions SET at = 'x'").run()).toThrow(
      /append-only/,
    );
    expect(storage.db.prepare('SELECT * FROM consent_versions ORDER BY seq').all()).toEqual(before);
  });

  it('refuses a second row for the same version of a request or consent', async () => {
    const { consent } = await grantedConsent();
    expect(() =>
      storage.db
        .prepare(
          `INSERT INTO consent_versions (tenant_id, kind, ref_id, version, state, at, actor)
           VALUES ('koeln', 'consent', ?, 1, 'revoked', ?, 'subject')`,
        )
        .run(consent.id, NOW),
    ).toThrow(/UNIQUE/);
    expect((await store.consent('koeln', consent.id))?.current.state).toBe('active');
  });

  it('grants in one step: request approved (v2) and consent active (v1)', async () => {
    const { request, consent } = await grantedConsent();
    expect((await store.request('koeln', request.id))?.current).toMatchObject({
      version: 2,
      state: 'approved',
      actor: 'subject',
    });
    const stored = await store.consent('koeln', consent.id);
    expect(stored?.consent).toEqual(consent);
    expect(stored?.current).toMatchObject({ version: 1, state: 'active', actor: 'subject' });
  });

  it('answers false for a stale expectedVersion and writes nothing', async () => {
    const request = await pendingRequest();
    expect(
      await store.decideRequest(request.id, 1, { state: 'declined', at: NOW, actor: 'subject' }),
    ).toBe(true);
    const versions = count('SELECT COUNT(*) FROM consent_versions');
    const parties = count('SELECT COUNT(*) FROM consent_parties');
    const late = consentRecord(request);
    expect(
      await store.decideRequest(
        request.id,
        1,
        { state: 'approved', at: LATER, actor: 'subject' },
        { record: late, parties: partiesOf(request) },
      ),
    ).toBe(false);
    // A version from the future is as stale as one from the past.
    expect(
      await store.decideRequest(request.id, 7, { state: 'expired', at: LATER, actor: 'system' }),
    ).toBe(false);
    expect(count('SELECT COUNT(*) FROM consent_versions')).toBe(versions);
    expect(count('SELECT COUNT(*) FROM consent_parties')).toBe(parties);
    expect(count('SELECT COUNT(*) FROM consents')).toBe(0);
    expect((await store.request('koeln', request.id))?.current.state).toBe('declined');
  });

  it('answers false when deciding a request that does not exist', async () => {
    expect(
      await store.decideRequest('cr_nope', 1, { state: 'declined', at: NOW, actor: 'subject' }),
    ).toBe(false);
    expect(count('SELECT COUNT(*) FROM consent_versions')).toBe(0);
  });

  it('lets only one of two racing decisions win, over two connections', async () => {
    const request = await pendingRequest();
    const second = openSqliteStorage(dir.path);
    try {
      const grantA = consentRecord(request);
      const grantB = consentRecord(request);
      // Both read version 1 before either writes, as two portal tabs would.
      const seenA = (await store.request('koeln', request.id))?.current.version ?? 0;
      const seenB = (await second.consents.request('koeln', request.id))?.current.version ?? 0;
      const results = await Promise.all([
        store.decideRequest(
          request.id,
          seenA,
          { state: 'approved', at: NOW, actor: 'subject' },
          { record: grantA, parties: partiesOf(request) },
        ),
        second.consents.decideRequest(
          request.id,
          seenB,
          { state: 'approved', at: NOW, actor: 'subject' },
          { record: grantB, parties: partiesOf(request) },
        ),
        store.decideRequest(request.id, seenA, { state: 'declined', at: NOW, actor: 'subject' }),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(count('SELECT COUNT(*) FROM consents WHERE request_id = ?', request.id)).toBe(1);
      expect(count('SELECT COUNT(*) FROM consent_versions WHERE ref_id = ?', request.id)).toBe(2);
      expect(count("SELECT COUNT(*) FROM consent_versions WHERE kind = 'consent'")).toBe(1);
    } finally {
      second.close();
    }
  });

  it('appends no request version when the consent cannot be stored (duplicate consent id)', async () => {
    const { consent: existing } = await grantedConsent();
    const request = await pendingRequest();
    const clash = consentRecord(request, { id: existing.id });
    const versions = count('SELECT COUNT(*) FROM consent_versions');
    const parties = count('SELECT COUNT(*) FROM consent_parties');
    const failure = await failureOf(() =>
      store.decideRequest(
        request.id,
        1,
        { state: 'approved', at: NOW, actor: 'subject' },
        { record: clash, parties: ['sozialamt-koeln'] },
      ),
    );
    expect(failure).toMatchObject({ code: 'conflict' }); // a uniqueness clash is a conflict
    expect((await store.request('koeln', request.id))?.current).toMatchObject({
      version: 1,
      state: 'pending',
    });
    expect(count('SELECT COUNT(*) FROM consent_versions')).toBe(versions);
    expect(count('SELECT COUNT(*) FROM consent_parties')).toBe(parties);
    expect((await store.consent('koeln', existing.id))?.consent).toEqual(existing);
    // The request is still pending and can be decided properly afterwards.
    expect(
      await store.decideRequest(
        request.id,
        1,
        { state: 'approved', at: NOW, actor: 'subject' },
        { record: consentRecord(request), parties: partiesOf(request) },
      ),
    ).toBe(true);
  });

  it('appends no request version when the consent breaks a constraint of its own', async () => {
    const request = await pendingRequest();
    const broken = consentRecord(request, { channel: 'telepathy' as ConsentRecord['channel'] });
    const failure = await failureOf(() =>
      store.decideRequest(
        request.id,
        1,
        { state: 'approved', at: NOW, actor: 'subject' },
        { record: broken, parties: partiesOf(request) },
      ),
    );
    expect(failure?.message).toMatch(/CHECK/);
    expect((await store.request('koeln', request.id))?.current.version).toBe(1);
    expect(count('SELECT COUNT(*) FROM consents')).toBe(0);
    expect(count("SELECT COUNT(*) FROM consent_versions WHERE kind = 'consent'")).toBe(0);
  });

  it('changes a consent only from the version the caller saw', async () => {
    const { consent } = await grantedConsent();
    expect(
      await store.changeConsent(consent.id, 1, { state: 'revoked', at: LATER, actor: 'subject' }),
    ).toBe(true);
    expect(
      await store.changeConsent(consent.id, 1, { state: 'expired', at: LATER, actor: 'system' }),
    ).toBe(false);
    expect(
      await store.changeConsent(consent.id, 3, { state: 'expired', at: LATER, actor: 'system' }),
    ).toBe(false);
    expect(
      await store.changeConsent('cs_nope', 1, { state: 'revoked', at: LATER, actor: 'subject' }),
    ).toBe(false);
    expect((await store.consent('koeln', consent.id))?.current).toMatchObject({
      version: 2,
      state: 'revoked',
      at: LATER,
      actor: 'subject',
    });
    expect(count('SELECT COUNT(*) FROM consent_versions WHERE ref_id = ?', consent.id)).toBe(2);
  });

  it('lets only one of two racing consent changes win, over two connections', async () => {
    const { consent } = await grantedConsent();
    const second = openSqliteStorage(dir.path);
    try {
      const results = await Promise.all([
        store.changeConsent(consent.id, 1, { state: 'revoked', at: LATER, actor: 'subject' }),
        second.consents.changeConsent(consent.id, 1, {
          state: 'expired',
          at: LATER,
          actor: 'system',
        }),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(count('SELECT COUNT(*) FROM consent_versions WHERE ref_id = ?', consent.id)).toBe(2);
    } finally {
      second.close();
    }
  });

  it('reads requests and consents only inside their tenant', async () => {
    const { request, consent } = await grantedConsent();
    expect(await store.request('dortmund', request.id)).toBeUndefined();
    expect(await store.consent('dortmund', consent.id)).toBeUndefined();
    expect(await store.consentsFor('dortmund', consent.subject, consent.purpose)).toEqual([]);
    expect(await store.consentsOfSubject('dortmund', consent.subject)).toEqual([]);
  });

  it('finds consents for a check by tenant, subject and purpose, oldest first', async () => {
    const person = await subject();
    const grant = async (purpose: string, createdAt: string) => {
      const request = requestRecord(person, { purpose });
      await store.addRequest(request, partiesOf(request));
      const consent = consentRecord(request, { createdAt });
      await store.decideRequest(
        request.id,
        1,
        { state: 'approved', at: createdAt, actor: 'subject' },
        { record: consent, parties: partiesOf(request) },
      );
      return consent.id;
    };
    const b = await grant('labour_market_integration', '2026-11-25T12:00:00.000Z');
    const a = await grant('labour_market_integration', '2026-11-25T11:00:00.000Z');
    const other = await grant('benefit_eligibility', '2026-11-25T10:30:00.000Z');
    await grantedConsent(); // someone else
    const forCheck = await store.consentsFor('koeln', person, 'labour_market_integration');
    expect(forCheck.map((c) => c.consent.id)).toEqual([a, b]);
    expect(forCheck.every((c) => c.current.state === 'active')).toBe(true);
    expect((await store.consentsOfSubject('koeln', person)).map((c) => c.consent.id)).toEqual([
      other,
      a,
      b,
    ]);
  });

  it('refuses a request for a subject it does not know, leaving nothing behind', async () => {
    const request = requestRecord('ps_unknown');
    const failure = await failureOf(() => store.addRequest(request, partiesOf(request)));
    expect(failure?.message).toMatch(/FOREIGN KEY/);
    expect(count('SELECT COUNT(*) FROM consent_requests')).toBe(0);
    expect(count('SELECT COUNT(*) FROM consent_versions')).toBe(0);
    expect(count('SELECT COUNT(*) FROM consent_parties')).toBe(0);
  });

  it('refuses a second request with the same code hash, leaving nothing behind', async () => {
    const first = await pendingRequest();
    const clash = requestRecord(first.subject, { codeHash: first.codeHash });
    const failure = await failureOf(() => store.addRequest(clash, ['schulamt-koeln']));
    expect(failure).toMatchObject({ code: 'conflict' }); // a uniqueness clash is a conflict
    expect(await store.request('koeln', clash.id)).toBeUndefined();
    expect(count('SELECT COUNT(*) FROM consent_versions WHERE ref_id = ?', clash.id)).toBe(0);
    expect(count("SELECT COUNT(*) FROM consent_parties WHERE agency_id = 'schulamt-koeln'")).toBe(
      0,
    );
  });

  it('counts failed second-factor attempts per request', async () => {
    const request = await pendingRequest();
    const other = await pendingRequest();
    expect(await store.recordFailedAttempt(request.id, NOW)).toBe(1);
    expect(await store.recordFailedAttempt(request.id, LATER)).toBe(2);
    expect((await store.request('koeln', request.id))?.failedAttempts).toBe(2);
    expect((await store.request('koeln', other.id))?.failedAttempts).toBe(0);
  });
});

describe('sqlite ConsentStore: requestByCode', () => {
  it('finds a request by its code hash inside its tenant, or in any tenant without a filter', async () => {
    const request = await pendingRequest();
    expect((await store.requestByCode('koeln', request.codeHash))?.request.id).toBe(request.id);
    expect((await store.requestByCode(undefined, request.codeHash))?.request.id).toBe(request.id);
    expect(await store.requestByCode('koeln', 'no-such-hash')).toBeUndefined();
  });

  it("does not answer another tenant's request", async () => {
    const inDortmund = await pendingRequest({ tenantId: 'dortmund' });
    expect(await store.requestByCode('koeln', inDortmund.codeHash)).toBeUndefined();
    expect((await store.requestByCode('dortmund', inDortmund.codeHash))?.request.tenantId).toBe(
      'dortmund',
    );
  });
});

describe('sqlite ConsentStore: eventsFor', () => {
  it('answers only changes of requests and consents naming the agency, after the cursor, oldest first', async () => {
    const jcRequested = await pendingRequest({
      requestedBy: 'jc-koeln',
      senders: ['abh-koeln'],
      recipients: ['jc-koeln'],
      purpose: 'labour_market_integration',
    });
    const sozOnly = await pendingRequest({
      requestedBy: 'sozialamt-koeln',
      senders: ['sozialamt-koeln'],
      recipients: ['abh-koeln'],
      purpose: 'benefit_eligibility',
    });
    const { request: granted, consent } = await grantedConsent({
      requestedBy: 'abh-koeln',
      senders: ['jc-koeln'],
      recipients: ['sozialamt-koeln'],
      purpose: 'case_management',
    });
    await store.changeConsent(consent.id, 1, { state: 'revoked', at: LATER, actor: 'subject' });
    // The same agency id in another tenant is another agency.
    await grantedConsent({
      tenantId: 'dortmund',
      requestedBy: 'jc-koeln',
      senders: ['jc-koeln'],
      recipients: ['abh-koeln'],
    });

    const jc = await store.eventsFor('koeln', 'jc-koeln', 0, 100);
    expect(jc.map((e) => [e.kind, e.refId, e.version, e.state])).toEqual([
      ['request', jcRequested.id, 1, 'pending'],
      ['request', granted.id, 1, 'pending'],
      ['request', granted.id, 2, 'approved'],
      ['consent', consent.id, 1, 'active'],
      ['consent', consent.id, 2, 'revoked'],
    ]);
    expect(jc.map((e) => e.purpose)).toEqual([
      'labour_market_integration',
      'case_management',
      'case_management',
      'case_management',
      'case_management',
    ]);
    expect(jc.at(-1)).toMatchObject({ at: LATER, actor: 'subject' });
    const seqs = jc.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);

    // The agency that only requested sees the request and the consent it led to.
    const abh = await store.eventsFor('koeln', 'abh-koeln', 0, 100);
    expect(abh.map((e) => e.refId)).toEqual([
      jcRequested.id,
      sozOnly.id,
      granted.id,
      granted.id,
      consent.id,
      consent.id,
    ]);
    // The social office is named in its own request and, as recipient, in the consent.
    const soz = await store.eventsFor('koeln', 'sozialamt-koeln', 0, 100);
    expect(soz.map((e) => e.refId)).toEqual([
      sozOnly.id,
      granted.id,
      granted.id,
      consent.id,
      consent.id,
    ]);
    expect(await store.eventsFor('koeln', 'schulamt-koeln', 0, 100)).toEqual([]);
    expect(await store.eventsFor('muenster', 'jc-koeln', 0, 100)).toEqual([]);
  });

  it('pages with the seq cursor and the limit, without gaps or repeats', async () => {
    for (let i = 0; i < 4; i++) {
      const { consent } = await grantedConsent({ recipients: ['jc-koeln'] });
      await store.changeConsent(consent.id, 1, { state: 'revoked', at: LATER, actor: 'subject' });
      await pendingRequest({
        requestedBy: 'sozialamt-koeln',
        senders: ['sozialamt-koeln'],
        recipients: ['abh-koeln'],
      });
    }
    const all = await store.eventsFor('koeln', 'jc-koeln', 0, 1000);
    expect(all).toHaveLength(16);

    const paged = [];
    let cursor = 0;
    // Bounded, so a cursor that fails to move ends the test instead of hanging it.
    for (let pages = 0; pages < 20; pages++) {
      const page = await store.eventsFor('koeln', 'jc-koeln', cursor, 3);
      expect(page.length).toBeLessThanOrEqual(3);
      if (page.length === 0) break;
      paged.push(...page);
      cursor = page.at(-1)?.seq ?? cursor;
    }
    expect(paged).toEqual(all);

    const middle = all[5]?.seq ?? 0;
    expect(await store.eventsFor('koeln', 'jc-koeln', middle, 1000)).toEqual(all.slice(6));
    expect(await store.eventsFor('koeln', 'jc-koeln', all.at(-1)?.seq ?? 0, 10)).toEqual([]);
  });
});

describe('sqlite ConsentStore: dueForExpiry', () => {
  it('finds active consents past their end and pending requests past their code, nothing else', async () => {
    const ended = await grantedConsent({ validUntil: '2026-12-01T00:00:00.000Z' });
    await grantedConsent({ validUntil: '2027-06-01T00:00:00.000Z' }); // still running
    const revoked = await grantedConsent({ validUntil: '2026-12-01T00:00:00.000Z' });
    await store.changeConsent(revoked.consent.id, 1, {
      state: 'revoked',
      at: LATER,
      actor: 'subject',
    });
    const stale = await pendingRequest({ codeExpiresAt: '2026-12-01T00:00:00.000Z' });
    await pendingRequest({ codeExpiresAt: '2026-12-20T00:00:00.000Z' }); // code still valid
    const declined = await pendingRequest({ codeExpiresAt: '2026-12-01T00:00:00.000Z' });
    await store.decideRequest(declined.id, 1, { state: 'declined', at: LATER, actor: 'subject' });

    const due = await store.dueForExpiry('2026-12-10T00:00:00.000Z', 100);
    expect(due.consents.map((c) => c.consent.id)).toEqual([ended.consent.id]);
    expect(due.consents[0]?.current).toMatchObject({ version: 1, state: 'active' });
    // Granted requests are approved, not pending: only the stale one is due.
    expect(due.requests.map((r) => r.request.id)).toEqual([stale.id]);
    expect(due.requests[0]?.current).toMatchObject({ version: 1, state: 'pending' });

    // The end itself counts as ended (validUntil is exclusive, as in the consent check).
    const atTheEnd = await store.dueForExpiry('2026-12-01T00:00:00.000Z', 100);
    expect(atTheEnd.consents.map((c) => c.consent.id)).toEqual([ended.consent.id]);
    expect(atTheEnd.requests.map((r) => r.request.id)).toEqual([stale.id]);
    const before = await store.dueForExpiry('2026-11-30T23:59:59.999Z', 100);
    expect(before).toEqual({ consents: [], requests: [] });

    // Once expired, a consent is not due again.
    await store.changeConsent(ended.consent.id, 1, {
      state: 'expired',
      at: '2026-12-10T00:00:00.000Z',
      actor: 'system',
    });
    expect((await store.dueForExpiry('2026-12-10T00:00:00.000Z', 100)).consents).toEqual([]);
  });

  it('answers at most `limit` of each, the earliest ends first', async () => {
    const ends = ['2026-12-03', '2026-12-01', '2026-12-02'].map((d) => `${d}T00:00:00.000Z`);
    const ids: string[] = [];
    for (const validUntil of ends) ids.push((await grantedConsent({ validUntil })).consent.id);
    const due = await store.dueForExpiry('2027-01-01T00:00:00.000Z', 2);
    expect(due.consents.map((c) => c.consent.validUntil)).toEqual([ends[1], ends[2]]);
    expect(due.consents.map((c) => c.consent.id)).toEqual([ids[1], ids[2]]);
  });
});

describe('sqlite ConsentStore: tenantSecret and subjects', () => {
  it('creates a tenant secret once and returns the same wrapped secret after', async () => {
    let created = 0;
    const create = () => {
      created++;
      return newKey();
    };
    const first = await store.tenantSecret('koeln', 'pseudonym', create);
    const second = await store.tenantSecret('koeln', 'pseudonym', create);
    expect(second).toEqual(first);
    expect(created).toBe(1);
    expect(count("SELECT COUNT(*) FROM tenant_secrets WHERE tenant_id = 'koeln'")).toBe(1);
    // Another name or another tenant is another secret.
    const codes = await store.tenantSecret('koeln', 'codes', create);
    const dortmund = await store.tenantSecret('dortmund', 'pseudonym', create);
    expect(codes).not.toEqual(first);
    expect(dortmund).not.toEqual(first);
    expect(created).toBe(3);
    // Over a second connection (a restart, the CLI) it is still the same one.
    const second2 = openSqliteStorage(dir.path);
    try {
      expect(await second2.consents.tenantSecret('koeln', 'pseudonym', create)).toEqual(first);
      expect(created).toBe(3);
    } finally {
      second2.close();
    }
  });

  it('makes two racing creators agree on one stored secret', async () => {
    const [a, b] = await Promise.all([
      store.tenantSecret('koeln', 'codes', newKey),
      store.tenantSecret('koeln', 'codes', newKey),
    ]);
    expect(a).toEqual(b);
    expect(await store.tenantSecret('koeln', 'codes', newKey)).toEqual(a);
    expect(count("SELECT COUNT(*) FROM tenant_secrets WHERE name = 'codes'")).toBe(1);
  });

  it('refuses a secret for a tenant that does not exist', async () => {
    await expect(store.tenantSecret('muenster', 'pseudonym', newKey)).rejects.toThrow(
      /FOREIGN KEY/,
    );
  });

  it('creates a subject once, keeping its key and creation time, also when two race', async () => {
    const [a, b] = await Promise.all([
      store.ensureSubject('koeln', 'ps_1', newKey, NOW),
      store.ensureSubject('koeln', 'ps_1', newKey, LATER),
    ]);
    expect(a).toEqual(b);
    let called = false;
    const again = await store.ensureSubject(
      'koeln',
      'ps_1',
      () => {
        called = true;
        return newKey();
      },
      LATER,
    );
    expect(again).toEqual(a);
    expect(called).toBe(false);
    expect(await store.subject('koeln', 'ps_1')).toEqual(a);
    expect(await store.subject('dortmund', 'ps_1')).toBeUndefined();
    expect(count('SELECT COUNT(*) FROM subjects')).toBe(1);
  });
});

describe('sqlite ConsentStore: portal sessions', () => {
  const session = (overrides: Partial<PortalSession> = {}): PortalSession => ({
    tokenHash: randomId('th'),
    access: { kind: 'request', tenantId: 'koeln', subject: 'ps_1', requestId: 'cr_1' },
    channel: 'portal-code',
    assurance: 'low',
    createdAt: NOW,
    lastSeenAt: NOW,
    ...overrides,
  });

  it('adds, reads, touches and deletes a session', async () => {
    const s = session();
    const other = session();
    await store.addSession(s);
    await store.addSession(other);
    expect(await store.session(s.tokenHash)).toEqual(s);

    await store.touchSession(s.tokenHash, LATER);
    expect(await store.session(s.tokenHash)).toEqual({ ...s, lastSeenAt: LATER });
    expect(await store.session(other.tokenHash)).toEqual(other);

    await store.deleteSession(s.tokenHash);
    expect(await store.session(s.tokenHash)).toBeUndefined();
    expect(await store.session(other.tokenHash)).toEqual(other);
  });

  it('answers undefined for an unknown token and ignores touching or deleting one', async () => {
    expect(await store.session('th_unknown')).toBeUndefined();
    await store.touchSession('th_unknown', LATER);
    await store.deleteSession('th_unknown');
    expect(count('SELECT COUNT(*) FROM portal_sessions')).toBe(0);
  });

  it('refuses a second session with the same token hash', async () => {
    const s = session();
    await store.addSession(s);
    const failure = await failureOf(() => store.addSession({ ...s, assurance: 'high' }));
    expect(failure).toMatchObject({ code: 'conflict' }); // a uniqueness clash is a conflict
    expect((await store.session(s.tokenHash))?.assurance).toBe('low');
  });

  it('keeps what each kind of session reaches, and a person-wide one names no subject', async () => {
    const byCode = session();
    const byWithdrawal = session({
      access: { kind: 'consent', tenantId: 'koeln', subject: 'ps_1', consentId: 'cs_1' },
    });
    const byEid = session({
      access: { kind: 'person', identities: [{ tenantId: 'koeln', identityHash: 'ih_1' }] },
      channel: 'portal-eid',
      assurance: 'substantial',
    });
    for (const s of [byCode, byWithdrawal, byEid]) {
      await store.addSession(s);
      expect(await store.session(s.tokenHash)).toEqual(s);
    }
    expect(
      storage.db
        .prepare('SELECT scope, tenant_id, subject FROM portal_sessions WHERE token_hash = ?')
        .get(byEid.tokenHash),
    ).toEqual({ scope: 'person', tenant_id: null, subject: null });
  });

  it('hands out a sign-in in flight once', async () => {
    const signIn = { idHash: 'ih', state: 's', nonce: 'n', codeVerifier: 'v', createdAt: NOW };
    await store.addEidSignIn(signIn);
    expect(await store.takeEidSignIn('ih')).toEqual(signIn);
    expect(await store.takeEidSignIn('ih')).toBeUndefined();
  });
});

describe('sqlite ConsentStore: failures', () => {
  it('reports a failed write as a rejected promise, as the port declares, never as a synchronous throw', async () => {
    const pending = await pendingRequest();
    const { consent } = await grantedConsent();
    const session: PortalSession = {
      tokenHash: 'th_dup',
      access: { kind: 'request', tenantId: 'koeln', subject: 'ps_1', requestId: 'cr_1' },
      channel: 'portal-code',
      assurance: 'low',
      createdAt: NOW,
      lastSeenAt: NOW,
    };
    await store.addSession(session);
    const failingWrites: Record<string, () => Promise<unknown>> = {
      'addRequest (unknown subject)': () => store.addRequest(requestRecord('ps_unknown'), []),
      'decideRequest (duplicate consent id)': () =>
        store.decideRequest(
          pending.id,
          1,
          { state: 'approved', at: NOW, actor: 'subject' },
          { record: consentRecord(pending, { id: consent.id }), parties: [] },
        ),
      'recordFailedAttempt (unknown request)': () => store.recordFailedAttempt('cr_nope', NOW),
      'addSession (duplicate token)': () => store.addSession(session),
    };
    const thrownAtOnce: string[] = [];
    for (const [name, write] of Object.entries(failingWrites)) {
      let promise: Promise<unknown> | undefined;
      try {
        promise = write();
      } catch {
        thrownAtOnce.push(name);
        continue;
      }
      await expect(promise, name).rejects.toThrow();
    }
    // A caller chaining .catch(), or starting several writes in Promise.all, misses a synchronous
    // throw (the PKI store turns them into rejections through `guarded`).
    expect(thrownAtOnce).toEqual([]);
  });
});
