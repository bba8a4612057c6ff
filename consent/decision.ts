import type { RefusalReason } from '../core/index.ts';
import type { ConsentState, ConsentWithState } from './ports.ts';

/**
 * Where a consent stands at an instant. Only `in_force` lets data pass; the other three are why
 * not. Time is compared as RFC 3339 strings in UTC with milliseconds, the form every stored time
 * has (`Date.toISOString`), so the SQL that pre-selects candidates and this function draw the same
 * lines; taking only a `Date` keeps an offset-bearing string from comparing wrongly.
 */
export type ConsentStanding = 'in_force' | 'not_yet_valid' | 'expired' | 'revoked';

/** One flow of data as consent sees it: who to whom, what for, which categories. */
export interface ConsentFlow {
  readonly sender: string;
  readonly recipient: string;
  readonly purpose: string;
  readonly categories: readonly string[];
}

/**
 * The one reason set of a consent refusal. Each reason names one consent where there is one, so a
 * caller learns which consent would have applied and why it did not.
 */
export type ConsentReasonCode =
  | 'no_consent_for_purpose'
  | 'parties_not_covered'
  | 'consent_not_yet_valid'
  | 'consent_expired'
  | 'consent_revoked'
  | 'categories_not_covered';

export type ConsentDecision =
  | { readonly covered: true; readonly consent: ConsentWithState }
  | {
      readonly covered: false;
      /**
       * `fields_not_covered` when a consent in force for these parties and this purpose lacks only
       * some categories (then `missing` lists them for the nearest such consent); otherwise
       * `consent_missing`.
       */
      readonly code: 'consent_missing' | 'fields_not_covered';
      readonly reasons: readonly (RefusalReason & { readonly code: ConsentReasonCode })[];
      readonly missing: readonly string[];
    };

/** Where `consent` stands at `at`. */
export function standingAt(consent: ConsentWithState, at: Date): ConsentStanding {
  const now = at.toISOString();
  const { state } = consent.current;
  if (state === 'revoked') return 'revoked';
  if (state === 'expired' || consent.consent.validUntil <= now) return 'expired';
  if (now < consent.consent.validFrom) return 'not_yet_valid';
  return 'in_force';
}

/**
 * The state to show for a consent at `at`: its stored state, except that an active consent past
 * its end shows as expired before the sweep has recorded it. A consent not yet in force shows as
 * active (granted); only {@link decideConsent} lets data pass, and it also waits for `validFrom`.
 */
export function effectiveState(consent: ConsentWithState, at: Date): ConsentState {
  const standing = standingAt(consent, at);
  return standing === 'in_force' || standing === 'not_yet_valid' ? 'active' : standing;
}

/**
 * Does one of these consents cover this flow at this instant? The only answer to that question in
 * the gateway: a send asks it of every consent the person gave for the purpose, a fetch, the
 * webhook and the withholding sweep ask it of the message's own consent. Pure: the same consents,
 * flow and instant give the same decision, whoever asks.
 *
 * A consent covers a flow when it is for the purpose, names sender and recipient, stands
 * `in_force` at `at`, and includes every category. A refusal reports every reason, one per consent
 * that names the parties.
 *
 * @example
 * ```ts
 * const decision = decideConsent(await store.consentsFor(tenantId, subject, purpose), flow, now);
 * if (!decision.covered) throw new GatewayError(decision.code, { reasons: decision.reasons });
 * ```
 */
export function decideConsent(
  consents: readonly ConsentWithState[],
  flow: ConsentFlow,
  at: Date,
): ConsentDecision {
  const forPurpose = consents.filter((c) => c.consent.purpose === flow.purpose);
  const forParties = forPurpose.filter(
    (c) => c.consent.senders.includes(flow.sender) && c.consent.recipients.includes(flow.recipient),
  );
  const judged = forParties.map((c) => ({
    c,
    standing: standingAt(c, at),
    missing: flow.categories.filter((category) => !c.consent.categories.includes(category)),
  }));
  const covering = judged.find((j) => j.standing === 'in_force' && j.missing.length === 0);
  if (covering) return { covered: true, consent: covering.c };

  if (forPurpose.length === 0)
    return missing([
      {
        code: 'no_consent_for_purpose',
        message: `no consent of this person for ${flow.purpose}`,
      },
    ]);
  if (forParties.length === 0)
    return missing([
      {
        code: 'parties_not_covered',
        message: `no consent names ${flow.sender} as sender and ${flow.recipient} as recipient`,
      },
    ]);
  const reasons = judged.map(({ c, standing, missing: lacking }) =>
    reasonFor(c, standing, lacking),
  );
  const inForce = judged
    .filter((j) => j.standing === 'in_force')
    .sort((a, b) => a.missing.length - b.missing.length);
  const nearest = inForce[0];
  if (!nearest) return missing(reasons);
  return { covered: false, code: 'fields_not_covered', reasons, missing: nearest.missing };
}

function missing(
  reasons: Extract<ConsentDecision, { covered: false }>['reasons'],
): ConsentDecision {
  return { covered: false, code: 'consent_missing', reasons, missing: [] };
}

function reasonFor(
  c: ConsentWithState,
  standing: ConsentStanding,
  lacking: readonly string[],
): RefusalReason & { readonly code: ConsentReasonCode } {
  const name = `consent ${c.consent.id} version ${c.current.version}`;
  switch (standing) {
    case 'revoked':
      return { code: 'consent_revoked', message: `${name} was withdrawn` };
    case 'expired':
      return { code: 'consent_expired', message: `${name} ended ${c.consent.validUntil}` };
    case 'not_yet_valid':
      return { code: 'consent_not_yet_valid', message: `${name} starts ${c.consent.validFrom}` };
    case 'in_force':
      return {
        code: 'categories_not_covered',
        message: `${name} does not cover ${lacking.join(', ')}`,
      };
  }
}
