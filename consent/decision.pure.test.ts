import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideConsent, effectiveState, standingAt, type ConsentFlow } from './decision.ts';
import type { ConsentState, ConsentWithState } from './ports.ts';

const FROM = '2026-11-25T10:00:00.000Z';
const UNTIL = '2027-02-23T10:00:00.000Z';
const shift = (instant: string, ms: number) => new Date(Date.parse(instant) + ms).toISOString();
const at = (instant: string) => new Date(instant);

/** A stored consent as the store answers it, without a store: only what decisions read. */
function storedConsent(
  overrides: {
    id?: string;
    state?: ConsentState;
    validFrom?: string;
    validUntil?: string;
    senders?: readonly string[];
    recipients?: readonly string[];
    purpose?: string;
    categories?: readonly string[];
  } = {},
): ConsentWithState {
  const { id = 'cs_1', state = 'active', validFrom = FROM, validUntil = UNTIL } = overrides;
  return {
    consent: {
      id,
      tenantId: 'koeln',
      subject: 'ps_1',
      requestId: 'cr_1',
      senders: overrides.senders ?? ['abh-koeln'],
      recipients: overrides.recipients ?? ['jc-koeln'],
      purpose: overrides.purpose ?? 'labour_market_integration',
      categories: overrides.categories ?? ['residence_status', 'employment_permission'],
      validFrom,
      validUntil,
      language: 'de',
      noticeHash: 'notice-hash',
      channel: 'portal-code',
      assurance: 'low',
      receiptId: 'rc_1',
      receipt: 'eyJ.receipt.sig',
      createdAt: validFrom,
    },
    current: {
      seq: 1,
      refId: id,
      version: state === 'active' ? 1 : 2,
      state,
      at: validFrom,
      actor: state === 'revoked' ? 'subject' : 'system',
    },
  };
}

const flow = (overrides: Partial<ConsentFlow> = {}): ConsentFlow => ({
  sender: 'abh-koeln',
  recipient: 'jc-koeln',
  purpose: 'labour_market_integration',
  categories: ['residence_status'],
  ...overrides,
});

describe('standingAt', () => {
  const active = storedConsent();

  it('is in force from validFrom itself, not the millisecond before', () => {
    expect(standingAt(active, at(shift(FROM, -1)))).toBe('not_yet_valid');
    expect(standingAt(active, at(FROM))).toBe('in_force');
  });

  it('is in force up to, not including, validUntil', () => {
    expect(standingAt(active, at(shift(UNTIL, -1)))).toBe('in_force');
    expect(standingAt(active, at(UNTIL))).toBe('expired');
    expect(standingAt(active, at(shift(UNTIL, 365 * 86_400_000)))).toBe('expired');
  });

  it('lets a revocation win over every date', () => {
    const revoked = storedConsent({ state: 'revoked' });
    for (const instant of [shift(FROM, -1), FROM, shift(UNTIL, -1), UNTIL, shift(UNTIL, 1)])
      expect(standingAt(revoked, at(instant)), instant).toBe('revoked');
  });

  it('lets a recorded expiry win over the dates, even before validFrom', () => {
    const expired = storedConsent({ state: 'expired' });
    for (const instant of [shift(FROM, -1), FROM, shift(UNTIL, -1)])
      expect(standingAt(expired, at(instant)), instant).toBe('expired');
  });
});

describe('effectiveState', () => {
  it('shows a granted consent not yet in force as active', () => {
    expect(effectiveState(storedConsent(), at(shift(FROM, -1)))).toBe('active');
  });

  it('shows an active consent in force as active', () => {
    expect(effectiveState(storedConsent(), at(FROM))).toBe('active');
  });

  it('shows an active consent past its end as expired before the sweep recorded it', () => {
    expect(effectiveState(storedConsent(), at(UNTIL))).toBe('expired');
  });

  it('shows the recorded state of a revoked or expired consent, whatever the dates', () => {
    expect(effectiveState(storedConsent({ state: 'revoked' }), at(shift(UNTIL, 1)))).toBe(
      'revoked',
    );
    expect(effectiveState(storedConsent({ state: 'revoked' }), at(shift(FROM, -1)))).toBe(
      'revoked',
    );
    expect(effectiveState(storedConsent({ state: 'expired' }), at(FROM))).toBe('expired');
  });
});

describe('decideConsent, pure', () => {
  it('sets aside consents for another purpose handed to it', () => {
    const other = storedConsent({ id: 'cs_other', purpose: 'benefit_eligibility' });
    expect(decideConsent([other], flow(), at(FROM))).toMatchObject({
      covered: false,
      code: 'consent_missing',
      reasons: [{ code: 'no_consent_for_purpose' }],
    });
    const own = storedConsent({ id: 'cs_own' });
    const decision = decideConsent([other, own], flow(), at(FROM));
    expect(decision.covered && decision.consent.consent.id).toBe('cs_own');
  });

  it('reports one reason per consent naming the parties, in the order given', () => {
    const decision = decideConsent(
      [
        storedConsent({ id: 'cs_a', state: 'revoked' }),
        storedConsent({ id: 'cs_b', senders: ['sozialamt-koeln'] }),
        storedConsent({ id: 'cs_c', validFrom: shift(FROM, 1) }),
        storedConsent({ id: 'cs_d', validUntil: FROM }),
      ],
      flow(),
      at(FROM),
    );
    expect(decision).toEqual({
      covered: false,
      code: 'consent_missing',
      reasons: [
        { code: 'consent_revoked', message: 'consent cs_a version 2 was withdrawn' },
        {
          code: 'consent_not_yet_valid',
          message: `consent cs_c version 1 starts ${shift(FROM, 1)}`,
        },
        { code: 'consent_expired', message: `consent cs_d version 1 ended ${FROM}` },
      ],
      missing: [],
    });
  });

  const consentArb = fc.record({
    id: fc.constantFrom('cs_a', 'cs_b', 'cs_c'),
    state: fc.constantFrom<ConsentState>('active', 'active', 'revoked', 'expired'),
    validFrom: fc.integer({ min: -3, max: 3 }).map((d) => shift(FROM, d * 86_400_000)),
    validUntil: fc.integer({ min: 4, max: 9 }).map((d) => shift(FROM, d * 86_400_000)),
    senders: fc.subarray(['abh-koeln', 'jc-koeln'], { minLength: 1 }),
    categories: fc.subarray(['identity', 'residence_status', 'health'], { minLength: 1 }),
  });
  const caseArb = fc.record({
    consents: fc.array(consentArb.map(storedConsent), { maxLength: 4 }),
    categories: fc.subarray(['identity', 'residence_status', 'health']),
    day: fc.integer({ min: -4, max: 10 }),
  });

  it('answers alike in any order of the consents', () => {
    let covered = 0;
    fc.assert(
      fc.property(caseArb, ({ consents, categories, day }) => {
        const at = new Date(Date.parse(FROM) + day * 86_400_000);
        const asked = flow({ categories });
        const decision = decideConsent(consents, asked, at);
        expect(decideConsent([...consents].reverse(), asked, at).covered).toBe(decision.covered);
        if (decision.covered) {
          covered++;
          expect(consents).toContain(decision.consent);
          expect(standingAt(decision.consent, at)).toBe('in_force');
        }
      }),
      { numRuns: 500, seed: 11 },
    );
    expect(covered).toBeGreaterThan(50);
  });
});
