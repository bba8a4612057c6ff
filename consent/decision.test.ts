import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../core/index.ts';
import type { ConsentQuestion, ConsentSpec, StoredConsents } from '../test/support/consents.ts';
import { ABH, at, DAY, iso, JC, openStoredConsents, SOZ, T0 } from '../test/support/consents.ts';
import type { ConsentDecision } from './decision.ts';
import type { ConsentWithState } from './ports.ts';

let stored: StoredConsents;

beforeAll(async () => {
  stored = await openStoredConsents();
});
afterAll(() => {
  stored.close();
});

/** The consent a decision answers, or a failure if it refused. */
async function covering(clock: Clock, q: ConsentQuestion): Promise<ConsentWithState> {
  const decision = await stored.decide(clock, q);
  if (!decision.covered) throw new Error(`expected cover, got ${JSON.stringify(decision)}`);
  return decision.consent;
}

/** The refusal a decision answers, or a failure if it covered. */
async function refusal(
  clock: Clock,
  q: ConsentQuestion,
): Promise<Extract<ConsentDecision, { covered: false }>> {
  const decision = await stored.decide(clock, q);
  if (decision.covered) throw new Error(`expected a refusal, got ${decision.consent.consent.id}`);
  return decision;
}

describe('decideConsent over the stored consents', () => {
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
  /** A person of their own with the base consent, changed as the test needs. */
  const ownConsent = async (spec: Partial<ConsentSpec> = {}) => {
    const own = await stored.newSubject();
    return { own, id: await stored.grant({ ...base(), ...spec, subject: own }) };
  };

  beforeAll(async () => {
    subject = await stored.newSubject();
  });

  describe('with one active consent', () => {
    let consentId: string;
    beforeAll(async () => {
      consentId = await stored.grant(base());
    });

    it('answers the covering consent with its id, version, state and end', async () => {
      const { consent, current } = await covering(at(T0 + DAY), question());
      expect(consent).toMatchObject({ id: consentId, validUntil: iso(T0 + 90 * DAY) });
      expect(current).toMatchObject({ version: 1, state: 'active' });
    });

    it('allows any subset of the consented categories', async () => {
      for (const categories of [
        ['employment_permission'],
        ['employment_permission', 'residence_status'],
      ]) {
        const answered = await covering(at(T0 + DAY), question({ categories }));
        expect(answered.consent.id).toBe(consentId);
      }
    });

    it('refuses a sender the consent does not name (parties_not_covered)', async () => {
      expect(await refusal(at(T0 + DAY), question({ sender: SOZ }))).toEqual({
        covered: false,
        code: 'consent_missing',
        reasons: [
          {
            code: 'parties_not_covered',
            message: `no consent names ${SOZ} as sender and ${JC} as recipient`,
          },
        ],
        missing: [],
      });
    });

    it('refuses a recipient the consent does not name (parties_not_covered)', async () => {
      const refused = await refusal(at(T0 + DAY), question({ recipient: SOZ }));
      expect(refused.code).toBe('consent_missing');
      expect(refused.reasons.map((r) => r.code)).toEqual(['parties_not_covered']);
    });

    it('refuses the flow in the other direction: a consent is from senders to recipients', async () => {
      const refused = await refusal(at(T0 + DAY), question({ sender: JC, recipient: ABH }));
      expect(refused.code).toBe('consent_missing');
      expect(refused.reasons.map((r) => r.code)).toEqual(['parties_not_covered']);
    });

    it('refuses a category outside the consent as fields_not_covered and names only it', async () => {
      const refused = await refusal(
        at(T0 + DAY),
        question({ categories: ['residence_status', 'health', 'benefits'] }),
      );
      expect(refused).toEqual({
        covered: false,
        code: 'fields_not_covered',
        reasons: [
          {
            code: 'categories_not_covered',
            message: `consent ${consentId} version 1 does not cover health, benefits`,
          },
        ],
        missing: ['health', 'benefits'],
      });
    });

    it('refuses another purpose (no_consent_for_purpose)', async () => {
      expect(await refusal(at(T0 + DAY), question({ purpose: 'benefit_eligibility' }))).toEqual({
        covered: false,
        code: 'consent_missing',
        reasons: [
          {
            code: 'no_consent_for_purpose',
            message: 'no consent of this person for benefit_eligibility',
          },
        ],
        missing: [],
      });
    });

    it('refuses another person, and the same pseudonym in another tenant', async () => {
      const other = await stored.newSubject();
      const elsewhere = await refusal(at(T0 + DAY), question({ tenantId: 'dortmund' }));
      for (const refused of [
        await refusal(at(T0 + DAY), question({ subject: other })),
        elsewhere,
      ]) {
        expect(refused.code).toBe('consent_missing');
        expect(refused.reasons.map((r) => r.code)).toEqual(['no_consent_for_purpose']);
      }
    });

    it('holds from validFrom up to, not including, validUntil', async () => {
      expect((await covering(at(T0), question())).consent.id).toBe(consentId);
      expect((await covering(at(T0 + 90 * DAY - 1), question())).consent.id).toBe(consentId);
      expect((await refusal(at(T0 + 90 * DAY), question())).reasons).toEqual([
        {
          code: 'consent_expired',
          message: `consent ${consentId} version 1 ended ${iso(T0 + 90 * DAY)}`,
        },
      ]);
    });

    it('refuses after validUntil with consent_expired, before the sweep recorded it', async () => {
      const clock = at(T0 + DAY);
      expect((await covering(clock, question())).consent.id).toBe(consentId);
      clock.advance(90 * DAY);
      const refused = await refusal(clock, question());
      expect(refused.code).toBe('consent_missing');
      expect(refused.reasons.map((r) => r.code)).toEqual(['consent_expired']);
      expect(refused.missing).toEqual([]);
    });

    it('refuses before validFrom with consent_not_yet_valid', async () => {
      expect(await refusal(at(T0 - 1), question())).toEqual({
        covered: false,
        code: 'consent_missing',
        reasons: [
          {
            code: 'consent_not_yet_valid',
            message: `consent ${consentId} version 1 starts ${iso(T0)}`,
          },
        ],
        missing: [],
      });
    });
  });

  it('refuses a revoked consent: consent_missing for the reason consent_revoked', async () => {
    const { own, id } = await ownConsent();
    await stored.change(id, 'revoked', T0 + DAY);
    expect(await refusal(at(T0 + 2 * DAY), question({ subject: own }))).toEqual({
      covered: false,
      code: 'consent_missing',
      reasons: [{ code: 'consent_revoked', message: `consent ${id} version 2 was withdrawn` }],
      missing: [],
    });
  });

  it('refuses a consent whose stored state is expired, even inside its dates', async () => {
    const { own, id } = await ownConsent();
    await stored.change(id, 'expired', T0 + DAY);
    const refused = await refusal(at(T0 + 2 * DAY), question({ subject: own }));
    expect(refused.code).toBe('consent_missing');
    expect(refused.reasons).toEqual([
      { code: 'consent_expired', message: `consent ${id} version 2 ended ${iso(T0 + 90 * DAY)}` },
    ]);
  });

  it('names why a consent is not in force rather than what it lacks', async () => {
    const { own, id } = await ownConsent();
    await stored.change(id, 'revoked', T0 + DAY);
    const refused = await refusal(
      at(T0 + 2 * DAY),
      question({ subject: own, categories: ['health'] }),
    );
    expect(refused.code).toBe('consent_missing');
    expect(refused.reasons.map((r) => r.code)).toEqual(['consent_revoked']);
    expect(refused.missing).toEqual([]);
  });

  it('sees a revocation in the very same tick as the decision that follows it', async () => {
    const { own, id } = await ownConsent();
    const clock = at(T0 + 5 * DAY);
    const before = await covering(clock, question({ subject: own }));
    expect([before.consent.id, before.current.version]).toEqual([id, 1]);
    await stored.change(id, 'revoked', clock.now().getTime());
    expect((await refusal(clock, question({ subject: own }))).reasons).toEqual([
      { code: 'consent_revoked', message: `consent ${id} version 2 was withdrawn` },
    ]);
  });

  it('allows when one of three consents covers, and answers that one', async () => {
    const own = await stored.newSubject();
    await stored.grant({ ...base(), subject: own, recipients: [SOZ] });
    const covers = await stored.grant({
      ...base(),
      subject: own,
      categories: ['residence_status'],
    });
    await stored.grant({ ...base(), subject: own, categories: ['identity'] });
    expect((await covering(at(T0 + DAY), question({ subject: own }))).consent.id).toBe(covers);
  });

  it('allows through a newer consent after the older one was revoked, not in between', async () => {
    const own = await stored.newSubject();
    const old = await stored.grant({ ...base(), subject: own });
    await stored.change(old, 'revoked', T0 + DAY);
    const renewed = await stored.grant({ ...base(), subject: own, validFrom: T0 + 2 * DAY });
    expect((await covering(at(T0 + 3 * DAY), question({ subject: own }))).consent.id).toBe(renewed);
    const between = await refusal(at(T0 + 2 * DAY - 1), question({ subject: own }));
    expect(between.code).toBe('consent_missing');
    expect(between.reasons).toEqual([
      { code: 'consent_revoked', message: `consent ${old} version 2 was withdrawn` },
      {
        code: 'consent_not_yet_valid',
        message: `consent ${renewed} version 1 starts ${iso(T0 + 2 * DAY)}`,
      },
    ]);
  });

  it('does not add up categories of two consents: one consent must cover them all', async () => {
    const own = await stored.newSubject();
    const first = await stored.grant({ ...base(), subject: own, categories: ['residence_status'] });
    const second = await stored.grant({
      ...base(),
      subject: own,
      categories: ['employment_permission'],
      validFrom: T0 + 1000,
    });
    const refused = await refusal(
      at(T0 + DAY),
      question({ subject: own, categories: ['residence_status', 'employment_permission'] }),
    );
    expect(refused.code).toBe('fields_not_covered');
    expect(refused.reasons).toEqual([
      {
        code: 'categories_not_covered',
        message: `consent ${first} version 1 does not cover employment_permission`,
      },
      {
        code: 'categories_not_covered',
        message: `consent ${second} version 1 does not cover residence_status`,
      },
    ]);
    // Both lack one; the first one stored is the nearest.
    expect(refused.missing).toEqual(['employment_permission']);
  });

  it('lists as missing what the nearest consent in force lacks, not one out of force', async () => {
    const own = await stored.newSubject();
    const all = ['identity', 'residence_status', 'employment_permission', 'benefits'];
    const revoked = await stored.grant({ ...base(), subject: own, categories: all });
    await stored.change(revoked, 'revoked', T0 + DAY);
    await stored.grant({ ...base(), subject: own, categories: ['identity'], validFrom: T0 + 1000 });
    await stored.grant({
      ...base(),
      subject: own,
      categories: all.slice(0, 3),
      validFrom: T0 + 2000,
    });
    const refused = await refusal(at(T0 + 2 * DAY), question({ subject: own, categories: all }));
    expect(refused.code).toBe('fields_not_covered');
    expect(refused.missing).toEqual(['benefits']);
    expect(refused.reasons.map((r) => r.code)).toEqual([
      'consent_revoked',
      'categories_not_covered',
      'categories_not_covered',
    ]);
  });

  it('does not join parties of two consents either', async () => {
    const own = await stored.newSubject();
    await stored.grant({ ...base(), subject: own, senders: [ABH], recipients: [SOZ] });
    await stored.grant({ ...base(), subject: own, senders: [SOZ], recipients: [JC] });
    const refused = await refusal(at(T0 + DAY), question({ subject: own }));
    expect(refused.code).toBe('consent_missing');
    expect(refused.reasons.map((r) => r.code)).toEqual(['parties_not_covered']);
  });
});
