import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wrapSecret, type PkiDeps } from '../certs/index.ts';
import { FixedClock, randomBytes, randomId, type Clock } from '../core/index.ts';
import { openSqliteStorage, type SqliteStorage } from '../storage/sqlite/index.ts';
import { pkiDeps, provisionedTenant } from '../test/support/pki.ts';
import { tempDir } from '../test/support/temp.ts';
import { decideConsent, type ConsentDecision, type ConsentFlow } from './decision.ts';
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

/** What a send asks: a flow of one person's data in one tenant. */
interface ConsentQuestion extends ConsentFlow {
  readonly tenantId: string;
  /** The subject's pseudonym. */
  readonly subject: string;
}

/** The decision as `sendExchange` takes it: the stored candidates, then the one pure function. */
async function decide(clock: Clock, q: ConsentQuestion): Promise<ConsentDecision> {
  return decideConsent(await store.consentsFor(q.tenantId, q.subject, q.purpose), q, clock.now());
}

/* ------------------------------------------------------------------------------------------ */
/* Property: the stored consents and decideConsent against an independent oracle.             */
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
  version: number;
}

/** In force: active and inside its dates, in milliseconds, not strings; apart from decision.ts. */
const inForce = (c: ModelConsent, now: number) =>
  c.state === 'active' && c.validFrom <= now && now < c.validUntil;
const lacking = (c: ModelConsent, q: ConsentQuestion) =>
  q.categories.filter((category) => !c.categories.includes(category));
const namesParties = (c: ModelConsent, q: ConsentQuestion) =>
  c.purpose === q.purpose && c.senders.includes(q.sender) && c.recipients.includes(q.recipient);

/** What the design says a decision allows. */
function oracleAllows(consents: readonly ModelConsent[], q: ConsentQuestion, now: number): boolean {
  return consents.some((c) => inForce(c, now) && namesParties(c, q) && lacking(c, q).length === 0);
}

/** The reason the design gives for one consent that names the parties but does not cover. */
function oracleReason(c: ModelConsent, now: number): string {
  if (c.state === 'revoked') return 'consent_revoked';
  if (c.state === 'expired' || now >= c.validUntil) return 'consent_expired';
  if (now < c.validFrom) return 'consent_not_yet_valid';
  return 'categories_not_covered';
}

/** Checks a refusal against the model: its code, one reason per consent naming the parties, `missing`. */
function expectRefusalAsModelled(
  refused: Extract<ConsentDecision, { covered: false }>,
  consents: readonly ModelConsent[],
  q: ConsentQuestion,
  now: number,
  label: string,
): void {
  const forParties = consents.filter((c) => namesParties(c, q));
  const reasonCodes = refused.reasons.map((r) => r.code);
  if (!consents.some((c) => c.purpose === q.purpose))
    expect(reasonCodes, label).toEqual(['no_consent_for_purpose']);
  else if (forParties.length === 0) expect(reasonCodes, label).toEqual(['parties_not_covered']);
  else {
    expect(refused.reasons, label).toHaveLength(forParties.length);
    for (const c of forParties) {
      const named = refused.reasons.filter((r) =>
        r.message.startsWith(`consent ${c.id} version ${c.version} `),
      );
      expect(
        named.map((r) => r.code),
        label,
      ).toEqual([oracleReason(c, now)]);
    }
  }
  const nearest = forParties
    .filter((c) => inForce(c, now))
    .map((c) => lacking(c, q))
    .sort((a, b) => a.length - b.length);
  if (nearest[0] === undefined) {
    expect(refused.code, label).toBe('consent_missing');
    expect(refused.missing, label).toEqual([]);
  } else {
    expect(refused.code, label).toBe('fields_not_covered');
    expect(refused.missing, label).toHaveLength(nearest[0].length);
    expect(nearest, label).toContainEqual(refused.missing);
  }
}

describe('decideConsent over the stored consents, property', () => {
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

  it(`covers exactly when an active, current consent names both parties, the purpose and every category, and says why not otherwise (${CASES} seeded cases)`, async () => {
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

    const seen = { allowed: 0, refused: 0, fieldsNotCovered: 0, revokedAfterAllow: 0 };
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
        consents.push({ id, ...spec, state, version: state === 'active' ? 1 : 2 });
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
        const decision = await decide(clock, q);
        expect(decision.covered, label).toBe(oracleAllows(consents, q, now));
        if (!decision.covered) {
          seen.refused++;
          if (decision.code === 'fields_not_covered') seen.fieldsNotCovered++;
          expectRefusalAsModelled(decision, consents, q, now, label);
          continue;
        }
        seen.allowed++;
        // The consent it answers must itself be one the oracle accepts, at its current version.
        const used = consents.find((c) => c.id === decision.consent.consent.id);
        if (!used) throw new Error(`${label}: answered an unknown consent`);
        expect(oracleAllows([used], q, now), label).toBe(true);
        expect(decision.consent.current.version, label).toBe(1);
        expect(decision.consent.consent.validUntil, label).toBe(iso(used.validUntil));

        // Revoking it takes effect for the next decision in the same tick.
        if (random() < 0.5) {
          seen.revokedAfterAllow++;
          await change(used.id, 'revoked', now);
          Object.assign(used, { state: 'revoked', version: 2 });
          const again = await decide(clock, q);
          expect(again.covered, label).toBe(oracleAllows(consents, q, now));
          if (again.covered) expect(again.consent.consent.id, label).not.toBe(used.id);
          else {
            expectRefusalAsModelled(again, consents, q, now, label);
            expect(again.reasons, label).toContainEqual({
              code: 'consent_revoked',
              message: `consent ${used.id} version 2 was withdrawn`,
            });
          }
        }
      }
    }
    // The generator must exercise every outcome well, or the property says little.
    expect(seen.allowed).toBeGreaterThan(120);
    expect(seen.refused).toBeGreaterThan(500);
    expect(seen.fieldsNotCovered).toBeGreaterThan(25);
    expect(seen.revokedAfterAllow).toBeGreaterThan(50);
  });
});
