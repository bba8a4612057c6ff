/**
 * The shape of the official pages' texts in one language: the Impressum, the privacy statement,
 * the accessibility statement, the help page, and the footer links to them. German (`de.ts`) is
 * the reference; every language has one module of this type, so a language added to `LANGUAGES`
 * fails the type check until its module exists (see `index.ts`).
 *
 * `{name}` marks a value the page fills in (the municipality, a number of minutes, a date); keep
 * each placeholder in every translation. Lists (`string[]`) have as many items in every language
 * as in German (a test checks).
 */
export interface LegalTexts {
  readonly links: {
    /** The footer's navigation, for screen readers. */
    readonly label: string;
    readonly impressum: string;
    readonly privacy: string;
    readonly accessibility: string;
    readonly help: string;
  };
  /** Where a profile field the operator has not set yet would be. */
  readonly notSet: string;
  readonly impressum: {
    readonly title: string;
    readonly intro: string;
    readonly municipality: string;
    readonly operator: string;
    readonly representative: string;
    readonly supervision: string;
    readonly supervisionText: string;
    readonly email: string;
    readonly web: string;
  };
  readonly privacy: {
    readonly title: string;
    readonly intro: string;
    readonly controllerHeading: string;
    readonly controllerText: string;
    readonly dpoHeading: string;
    readonly dpoText: string;
    readonly dataHeading: string;
    /** Code, birth date, decisions, session cookie ({minutes}), language cookie ({days}), address. */
    readonly data: readonly string[];
    /** Only where the deployment offers the sign-in with the ID card. */
    readonly eid: string;
    readonly noTracking: readonly string[];
    readonly purposesHeading: string;
    readonly purposes: readonly string[];
    readonly retentionHeading: string;
    /** Session ({minutes}), language cookie ({days}), code, records. */
    readonly retention: readonly string[];
    readonly rightsHeading: string;
    readonly rightsIntro: string;
    readonly rights: readonly string[];
    readonly rightsHow: string;
    readonly complaintHeading: string;
    readonly complaintText: string;
  };
  readonly accessibility: {
    readonly title: string;
    /** {name}: the municipality. */
    readonly intro: string;
    readonly basis: string;
    readonly statusHeading: string;
    readonly status: string;
    readonly limitsHeading: string;
    readonly limits: readonly string[];
    readonly dateHeading: string;
    /** {date}: when the statement was made. */
    readonly date: string;
    readonly feedbackHeading: string;
    readonly feedbackText: string;
    readonly enforcementHeading: string;
    readonly enforcement: readonly string[];
  };
  readonly help: {
    readonly title: string;
    readonly intro: string;
    readonly codeHeading: string;
    readonly code: readonly string[];
    readonly withdrawalHeading: string;
    readonly withdrawal: readonly string[];
    readonly birthDateHeading: string;
    /** {failures}: wrong tries before the code is locked. */
    readonly birthDate: readonly string[];
    readonly askHeading: string;
    readonly askOffice: string;
    readonly askDpo: string;
    readonly askAccessibility: string;
  };
}

/**
 * Fills `{name}` placeholders from `values`; a placeholder without a value stays as it is, so a
 * missing value shows up in a test rather than as an empty gap.
 */
export function fill(text: string, values: Readonly<Record<string, string | number>>): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) =>
    Object.hasOwn(values, key) ? String(values[key]) : whole,
  );
}
