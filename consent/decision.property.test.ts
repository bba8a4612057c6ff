import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsentQuestion, StoredConsents } from '../test/support/consents.ts';
import { ABH, at, DAY, iso, JC, openStoredConsents, SOZ, T0 } from '../test/support/consents.ts';
import type { ConsentDecision } from './decision.ts';
import type { ConsentState } from './ports.ts';

let stored: StoredConsents;

beforeAll(async () => {
  stored = await openStoredConsents();
});
afterAll(() => {
  stored.close();
});

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
      const subject = await stored.newSubject();
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
        const id = await stored.grant({ subject, ...spec });
        const roll = random();
        const state: ConsentState = roll < 0.7 ? 'active' : roll < 0.9 ? 'revoked' : 'expired';
        if (state !== 'active') await stored.change(id, state, validFrom + 3600 * 1000);
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
        const decision = await stored.decide(clock, q);
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
          await stored.change(used.id, 'revoked', now);
          Object.assign(used, { state: 'revoked', version: 2 });
          const again = await stored.decide(clock, q);
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
