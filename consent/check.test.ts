import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wrapSecret, type PkiDeps } from '../certs/index.ts';
import { FixedClock, GatewayError, randomBytes, randomId } from '../core/index.ts';
import { openSqliteStorage, type SqliteStorage } from '../storage/sqlite/index.ts';
import { pkiDeps, provisionedTenant } from '../test/support/pki.ts';
import { tempDir } from '../test/support/temp.ts';
import { checkConsent, type ConsentQuestion } from './check.ts';
import type { ConsentRecord, ConsentRequestRecord, ConsentState, ConsentStore } from './ports.ts';

const DAY = 24 * 3600 * 1000;
const T0 = Date.parse('2026-11-25T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const at = (ms: number) => new FixedClock(iso(ms));

const ABH = 'abh-koeln';
const JC = 'jc-koeln';
const SOZ = 'sozialamt-koeln';

let dir: ReturnType<typeof tempDir>;
let storage: SqliteStorage;
let store: ConsentStore;
let pki: PkiDeps;

beforeAll(async () => {
  dir = tempDir();
  storage = openSqliteStorage(dir.path);
  store = storage.consents;
  pki = await pkiDeps(storage, at(T0));
  await provisionedTenant(pki, 'koeln');
  await provisionedTenant(pki, 'dortmund');
});
afterAll(() => {
  storage.close();
  dir.remove();
});

/** A subject (pseudonym) recorded in the tenant, as ensureSubject leaves it. */
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

interface ConsentSpec {
  readonly tenantId?: string;
  readonly subject: string;
  readonly senders: readonly string[];
  readonly recipients: readonly string[];
  readonly purpose: string;
  readonly categories: readonly string[];
  readonly validFrom: number;
  readonly validUntil: number;
}

/**
 * Records a consent the way the portal's grant does: a request (pending), then its approval and
 * the consent (version 1, active) in one decideRequest.
 */
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

/** The refusal checkConsent threw, or a failure if it answered a consent. */
async function refusal(clock: FixedClock, question: ConsentQuestion): Promise<GatewayError> {
  try {
    const allowed = await checkConsent(store, clock, question);
    throw new Error(`expected a refusal, got consent ${allowed.consentId}`);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
}

describe('checkConsent', () => {
  let subject: string;
  const base = (): ConsentSpec => ({
    subject,
    senders: [ABH],
    recipients: [JC],
    purpose: 'labour_market_integration',
    categories: ['residence_status', 'employment_permission'],
    validFrom: T0,
    validUntil: T0 + 90 * DAY,
  });
  const question = (overrides: Partial<ConsentQuestion> = {}): ConsentQuestion => ({
    tenantId: 'koeln',
    subject,
    sender: ABH,
    recipient: JC,
    purpose: 'labour_market_integration',
    categories: ['residence_status'],
    ...overrides,
  });

  beforeAll(async () => {
    subject = await newSubject();
  });

  describe('with one active consent', () => {
    let consentId: string;
    beforeAll(async () => {
      consentId = await grant(base());
    });

    it('answers the covering consent with its id, version and end', async () => {
      await expect(checkConsent(store, at(T0 + DAY), question())).resolves.toEqual({
        consentId,
        consentVersion: 1,
        validUntil: iso(T0 + 90 * DAY),
      });
    });

    it('allows any subset of the consented categories', async () => {
      for (const categories of [
        ['employment_permission'],
        ['employment_permission', 'residence_status'],
      ]) {
        await expect(
          checkConsent(store, at(T0 + DAY), question({ categories })),
        ).resolves.toMatchObject({
          consentId,
        });
      }
    });

    it('refuses a sender the consent does not name (parties_not_covered)', async () => {
      const error = await refusal(at(T0 + DAY), question({ sender: SOZ }));
      expect(error.code).toBe('consent_missing');
      expect(error.status).toBe(403);
      expect(error.reasons?.map((r) => r.code)).toEqual(['parties_not_covered']);
    });

    it('refuses a recipient the consent does not name (parties_not_covered)', async () => {
      const error = await refusal(at(T0 + DAY), question({ recipient: SOZ }));
      expect(error.code).toBe('consent_missing');
      expect(error.reasons?.map((r) => r.code)).toEqual(['parties_not_covered']);
    });

    it('refuses the flow in the other direction: a consent is from senders to recipients', async () => {
      const error = await refusal(at(T0 + DAY), question({ sender: JC, recipient: ABH }));
      expect(error.code).toBe('consent_missing');
      expect(error.reasons?.map((r) => r.code)).toEqual(['parties_not_covered']);
    });

    it('refuses a category outside the consent and names it (categories_not_covered)', async () => {
      const error = await refusal(
        at(T0 + DAY),
        question({ categories: ['residence_status', 'health'] }),
      );
      expect(error.code).toBe('consent_missing');
      expect(error.reasons).toHaveLength(1);
      expect(error.reasons?.[0]?.code).toBe('categories_not_covered');
      expect(error.reasons?.[0]?.message).toContain('health');
      expect(error.reasons?.[0]?.message).not.toContain('residence_status');
    });

    it('refuses another purpose (no_consent_for_purpose)', async () => {
      const error = await refusal(at(T0 + DAY), question({ purpose: 'benefit_eligibility' }));
      expect(error.code).toBe('consent_missing');
      expect(error.reasons?.map((r) => r.code)).toEqual(['no_consent_for_purpose']);
    });

    it('refuses another person, and the same pseudonym in another tenant', async () => {
      const other = await newSubject();
      expect((await refusal(at(T0 + DAY), question({ subject: other }))).reasons?.[0]?.code).toBe(
        'no_consent_for_purpose',
      );
      const elsewhere = await refusal(at(T0 + DAY), question({ tenantId: 'dortmund' }));
      expect(elsewhere.code).toBe('consent_missing');
      expect(elsewhere.reasons?.map((r) => r.code)).toEqual(['no_consent_for_purpose']);
    });

    it('holds from validFrom up to, not including, validUntil', async () => {
      await expect(checkConsent(store, at(T0), question())).resolves.toMatchObject({ consentId });
      await expect(checkConsent(store, at(T0 + 90 * DAY - 1), question())).resolves.toMatchObject({
        consentId,
      });
      expect((await refusal(at(T0 + 90 * DAY), question())).code).toBe('consent_expired');
    });

    it('refuses after validUntil as consent_expired', async () => {
      const clock = at(T0 + DAY);
      await expect(checkConsent(store, clock, question())).resolves.toMatchObject({ consentId });
      clock.advance(90 * DAY);
      const error = await refusal(clock, question());
      expect(error.code).toBe('consent_expired');
      expect(error.status).toBe(403);
      expect(error.reasons?.[0]?.message).toContain(consentId);
    });

    it('is not usable before validFrom', async () => {
      const error = await refusal(at(T0 - 1), question());
      expect(['consent_missing', 'consent_expired']).toContain(error.code);
    });
  });

  it('refuses a revoked consent as consent_revoked', async () => {
    const own = await newSubject();
    const id = await grant({ ...base(), subject: own });
    await change(id, 'revoked', T0 + DAY);
    const error = await refusal(at(T0 + 2 * DAY), question({ subject: own }));
    expect(error.code).toBe('consent_revoked');
    expect(error.reasons).toEqual([{ code: 'revoked', message: `consent ${id} version 2` }]);
  });

  it('refuses a consent whose stored state is expired, even inside its dates', async () => {
    const own = await newSubject();
    const id = await grant({ ...base(), subject: own });
    await change(id, 'expired', T0 + DAY);
    expect((await refusal(at(T0 + 2 * DAY), question({ subject: own }))).code).toBe(
      'consent_expired',
    );
  });

  it('sees a revocation in the very same tick as the check that follows it', async () => {
    const own = await newSubject();
    const id = await grant({ ...base(), subject: own });
    const clock = at(T0 + 5 * DAY);
    await expect(checkConsent(store, clock, question({ subject: own }))).resolves.toMatchObject({
      consentId: id,
      consentVersion: 1,
    });
    await change(id, 'revoked', clock.now().getTime());
    expect((await refusal(clock, question({ subject: own }))).code).toBe('consent_revoked');
  });

  it('allows when one of two consents covers, and answers that one', async () => {
    const own = await newSubject();
    await grant({ ...base(), subject: own, recipients: [SOZ] });
    const covering = await grant({ ...base(), subject: own, categories: ['residence_status'] });
    await grant({ ...base(), subject: own, categories: ['identity'] });
    await expect(checkConsent(store, at(T0 + DAY), question({ subject: own }))).resolves.toEqual({
      consentId: covering,
      consentVersion: 1,
      validUntil: iso(T0 + 90 * DAY),
    });
  });

  it('allows through a newer consent after the older one was revoked', async () => {
    const own = await newSubject();
    const old = await grant({ ...base(), subject: own });
    await change(old, 'revoked', T0 + DAY);
    const renewed = await grant({ ...base(), subject: own, validFrom: T0 + 2 * DAY });
    await expect(
      checkConsent(store, at(T0 + 3 * DAY), question({ subject: own })),
    ).resolves.toMatchObject({ consentId: renewed });
  });

  it('does not add up categories of two consents: one consent must cover them all', async () => {
    const own = await newSubject();
    await grant({ ...base(), subject: own, categories: ['residence_status'] });
    await grant({ ...base(), subject: own, categories: ['employment_permission'] });
    const error = await refusal(
      at(T0 + DAY),
      question({ subject: own, categories: ['residence_status', 'employment_permission'] }),
    );
    expect(error.code).toBe('consent_missing');
    expect(error.reasons?.map((r) => r.code)).toEqual(['categories_not_covered']);
  });

  it('does not join parties of two consents either', async () => {
    const own = await newSubject();
    await grant({ ...base(), subject: own, senders: [ABH], recipients: [SOZ] });
    await grant({ ...base(), subject: own, senders: [SOZ], recipients: [JC] });
    const error = await refusal(at(T0 + DAY), question({ subject: own }));
    expect(error.reasons?.map((r) => r.code)).toEqual(['parties_not_covered']);
  });
});

/* ------------------------------------------------------------------------------------------ */
/* Property: the check against an independent oracle over random consents and questions.      */
/* ------------------------------------------------------------------------------------------ */

/** mulberry32: a tiny seeded PRNG, so every run draws the same cases. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ModelConsent {
  id: string;
  senders: string[];
  recipients: string[];
  purpose: string;
  categories: string[];
  validFrom: number;
  validUntil: number;
  state: ConsentState;
}

/** What the design says a check allows: independent of check.ts, in milliseconds, not strings. */
function oracleAllows(consents: readonly ModelConsent[], q: ConsentQuestion, now: number): boolean {
  return consents.some(
    (c) =>
      c.state === 'active' &&
      c.validFrom <= now &&
      now < c.validUntil &&
      c.purpose === q.purpose &&
      c.senders.includes(q.sender) &&
      c.recipients.includes(q.recipient) &&
      q.categories.every((category) => c.categories.includes(category)),
  );
}

describe('checkConsent, property', () => {
  const SEED = 20261125;
  const CASES = 300;
  const AGENCIES = [ABH, JC, SOZ, 'schulamt-koeln'];
  const PURPOSES = ['labour_market_integration', 'benefit_eligibility', 'case_management'];
  const CATEGORIES = [
    'identity',
    'residence_status',
    'employment_permission',
    'benefits',
    'health',
  ];

  it(`allows exactly when an active, current consent names both parties, the purpose and every category (${CASES} seeded cases)`, async () => {
    const random = prng(SEED);
    const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
    const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T;
    const subset = <T>(items: readonly T[], min: number, max: number): T[] => {
      const shuffled = [...items];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = int(0, i);
        [shuffled[i], shuffled[j]] = [shuffled[j] as T, shuffled[i] as T];
      }
      return shuffled.slice(0, int(min, Math.min(max, items.length)));
    };

    let allowed = 0;
    let refused = 0;
    let revokedAfterAllow = 0;
    for (let n = 0; n < CASES; n++) {
      const subject = await newSubject();
      const consents: ModelConsent[] = [];
      for (let k = int(0, 3); k > 0; k--) {
        const validFrom = T0 + int(-5, 5) * DAY + int(0, 23) * 3600 * 1000;
        const spec = {
          senders: subset(AGENCIES, 1, 2),
          recipients: subset(AGENCIES, 1, 2),
          purpose: pick(PURPOSES),
          categories: subset(CATEGORIES, 1, 4),
          validFrom,
          validUntil: validFrom + int(1, 10) * DAY,
        };
        const id = await grant({ subject, ...spec });
        const roll = random();
        const state: ConsentState = roll < 0.7 ? 'active' : roll < 0.9 ? 'revoked' : 'expired';
        if (state !== 'active') await change(id, state, validFrom + 3600 * 1000);
        consents.push({ id, ...spec, state });
      }

      for (let k = 0; k < 3; k++) {
        const basis = consents.length > 0 && random() < 0.7 ? pick(consents) : undefined;
        let now: number;
        const timeRoll = random();
        if (basis && timeRoll < 0.15) now = basis.validFrom + pick([-1, 0]);
        else if (basis && timeRoll < 0.3) now = basis.validUntil + pick([-1, 0]);
        else if (basis) now = int(basis.validFrom, basis.validUntil - 1);
        else now = T0 + int(-7, 17) * DAY + int(0, 86_399) * 1000;
        const q: ConsentQuestion = basis
          ? {
              tenantId: 'koeln',
              subject,
              sender: random() < 0.9 ? pick(basis.senders) : pick(AGENCIES),
              recipient: random() < 0.9 ? pick(basis.recipients) : pick(AGENCIES),
              purpose: random() < 0.9 ? basis.purpose : pick(PURPOSES),
              categories:
                random() < 0.85 ? subset(basis.categories, 1, 3) : subset(CATEGORIES, 1, 3),
            }
          : {
              tenantId: 'koeln',
              subject,
              sender: pick(AGENCIES),
              recipient: pick(AGENCIES),
              purpose: pick(PURPOSES),
              categories: subset(CATEGORIES, 1, 3),
            };
        const label = `case ${n}.${k} (seed ${SEED}) at ${iso(now)}: ${JSON.stringify({ q, consents })}`;
        const clock = at(now);
        const expected = oracleAllows(consents, q, now);
        const answer = await checkConsent(store, clock, q).catch((error: unknown) => error);
        if (!expected) {
          refused++;
          expect(answer, label).toBeInstanceOf(GatewayError);
          expect(['consent_missing', 'consent_revoked', 'consent_expired'], label).toContain(
            (answer as GatewayError).code,
          );
          continue;
        }
        allowed++;
        if (answer instanceof Error) throw new Error(`${label}: refused with ${answer.message}`);
        const covering = answer as Awaited<ReturnType<typeof checkConsent>>;
        const used = consents.find((c) => c.id === covering.consentId);
        // The consent it answers must itself be one the oracle accepts, at its current version.
        expect(used && oracleAllows([used], q, now), label).toBe(true);
        expect(covering.consentVersion, label).toBe(1);
        expect(covering.validUntil, label).toBe(iso(used?.validUntil ?? 0));

        // Revoking it takes effect for the next check in the same tick.
        if (used && random() < 0.5) {
          revokedAfterAllow++;
          await change(used.id, 'revoked', now);
          used.state = 'revoked';
          const again = await checkConsent(store, clock, q).catch((error: unknown) => error);
          if (oracleAllows(consents, q, now)) {
            expect(again, label).not.toBeInstanceOf(Error);
            expect((again as { consentId: string }).consentId, label).not.toBe(used.id);
          } else {
            expect(again, label).toBeInstanceOf(GatewayError);
            expect((again as GatewayError).code, label).toBe('consent_revoked');
          }
        }
      }
    }
    // The generator must exercise both outcomes well, or the property says little.
    expect(allowed).toBeGreaterThan(120);
    expect(refused).toBeGreaterThan(500);
    expect(revokedAfterAllow).toBeGreaterThan(50);
  });
});
