/**
 * The consent notice: the exact text a person is shown and agrees to. The gateway stores its
 * SHA-256 hash in the consent and in the signed receipt, so the text is a pure function of its
 * input: no clock, no locale or time-zone settings of the runtime, no `Intl`. The same input gives
 * the same bytes on Node and on workerd, today and after a runtime update.
 *
 * The wording per language is in `notice-phrases-*.ts`; loading the offices, retention and
 * supervisory authority for a request is `notice-context.ts`.
 */
import { isRightToLeft, label } from '../policies/labels.ts';
import {
  SPECIAL_CATEGORIES,
  type AgencyType,
  type DataCategory,
  type Language,
  type Purpose,
} from '../policies/index.ts';
import type { SupervisoryAuthority } from '../tenants/index.ts';
import { utcDate } from './notice-dates.ts';
import { PHRASES, type NoticePhrases } from './notice-phrases.ts';
import { WITHDRAWAL_METHODS, type WithdrawalMethod } from './withdrawal-methods.ts';

/** An office named in a notice: as party, as controller and, for recipients, with its retention. */
export interface NoticeParty {
  readonly id: string;
  readonly name: string;
  readonly agencyType: AgencyType;
  /** Postal address of the office as controller; absent: the notice says it is not recorded. */
  readonly address?: string | null;
  /** Contact of the office's data-protection officer; absent: reachable at the office. */
  readonly dpoContact?: string | null;
  /** Recipients only: the most days the policy lets this office keep the data it receives. */
  readonly retentionDays?: number;
}

/** What a consent request asks for, as the notice puts it into words. */
export interface NoticeInput {
  readonly language: Language;
  /** Shown in the order given. */
  readonly senders: readonly NoticeParty[];
  /** Shown in the order given; each with `retentionDays`. */
  readonly recipients: readonly NoticeParty[];
  readonly purpose: Purpose;
  /** Shown in the order given: the caller decides (e.g. vocabulary order). */
  readonly categories: readonly DataCategory[];
  /** RFC 3339 date-time; the notice shows its calendar date in UTC. */
  readonly validUntil: string;
  /** Health (an Art. 9 GDPR special category) is involved: consent must be explicit. */
  readonly special: boolean;
  /** Where the person may complain (Art. 77 GDPR). */
  readonly supervisoryAuthority: SupervisoryAuthority;
  /** The ways to withdraw this deployment offers, in this order; default: all three. */
  readonly withdrawalMethods?: readonly WithdrawalMethod[];
}

/** One titled part of a notice. */
export interface NoticeSection {
  readonly heading: string;
  readonly body: string;
}

/** The notice, in parts for the portal and as one text for hashing and storage. */
export interface ConsentNotice {
  readonly language: Language;
  readonly title: string;
  readonly sections: readonly NoticeSection[];
  /** Title and sections (heading line, then body), joined by blank lines; no trailing newline. */
  readonly text: string;
}

/** Directional isolates: a name of unknown direction cannot reorder the RTL line around it. */
const FIRST_STRONG_ISOLATE = '\u2068';
const POP_DIRECTIONAL_ISOLATE = '\u2069';

/**
 * Line breaks or bidi controls in a registered name or address could forge lines or reorder what
 * the person reads; a decomposed "Köln" would hash differently from a composed one that looks the
 * same.
 */
function oneLine(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\p{Cc}\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}

function displayName(party: NoticeParty): string {
  const name = oneLine(party.name);
  if (name === '') throw new Error(`party "${party.id}" has no name to show`);
  return name;
}

function checkInput(input: NoticeInput): void {
  if (input.senders.length === 0) throw new Error('a consent notice needs at least one sender');
  if (input.recipients.length === 0) {
    throw new Error('a consent notice needs at least one recipient');
  }
  if (input.categories.length === 0) {
    throw new Error('a consent notice needs at least one data category');
  }
  const specialCategory = input.categories.find((c) => SPECIAL_CATEGORIES.includes(c));
  if (specialCategory !== undefined && !input.special) {
    throw new Error(`category "${specialCategory}" is special (Art. 9 GDPR) but special is false`);
  }
  const unretained = input.recipients.find((r) => !Number.isInteger(r.retentionDays));
  if (unretained !== undefined) {
    throw new Error(`recipient "${unretained.id}" has no retention period to show`);
  }
  if (input.withdrawalMethods?.length === 0) {
    throw new Error('a consent notice needs at least one way to withdraw');
  }
}

/** Writes values of unknown direction (names, addresses) safely into one language's lines. */
interface Writer {
  readonly phrases: NoticePhrases;
  /** One line; isolated in right-to-left languages so it cannot reorder the line around it. */
  readonly shown: (text: string) => string;
  readonly name: (party: NoticeParty) => string;
}

function writerFor(language: Language): Writer {
  const rtl = isRightToLeft(language);
  const shown = (text: string): string =>
    rtl ? FIRST_STRONG_ISOLATE + oneLine(text) + POP_DIRECTIONAL_ISOLATE : oneLine(text);
  return { phrases: PHRASES[language], shown, name: (party) => shown(displayName(party)) };
}

/** Who, what, what for and until when: the terms themselves. */
function termsSections(input: NoticeInput, { phrases, name }: Writer): NoticeSection[] {
  const { language } = input;
  const partyLine = (party: NoticeParty): string =>
    `- ${name(party)} – ${label('agencyType', party.agencyType, language).name}`;
  const categoryLine = (category: DataCategory): string => {
    const { name: categoryName, description } = label('category', category, language);
    return `- ${categoryName}: ${description}`;
  };
  const purpose = label('purpose', input.purpose, language);
  return [
    {
      heading: phrases.parties.heading,
      body: [
        phrases.parties.intro,
        phrases.parties.senders,
        ...input.senders.map(partyLine),
        phrases.parties.recipients,
        ...input.recipients.map(partyLine),
      ].join('\n'),
    },
    {
      heading: phrases.data.heading,
      body: [phrases.data.intro, ...input.categories.map(categoryLine)].join('\n'),
    },
    ...(input.special ? [{ ...phrases.special }] : []),
    {
      heading: phrases.purpose.heading,
      body: `${phrases.purpose.intro}\n${purpose.name}: ${purpose.description}`,
    },
    {
      heading: phrases.duration.heading,
      body: phrases.duration.body(phrases.date(utcDate(input.validUntil))),
    },
  ];
}

/** The person's rights: retention, no disadvantage, withdrawal, whom to ask and complain to. */
function rightsSections(input: NoticeInput, { phrases, shown, name }: Writer): NoticeSection[] {
  const { controllers, complaint } = phrases;
  const controllerLines = (party: NoticeParty): string[] => {
    const address = party.address == null ? '' : oneLine(party.address);
    const dpo = party.dpoContact == null ? '' : oneLine(party.dpoContact);
    return [
      `- ${name(party)}`,
      `  ${controllers.address}: ${address === '' ? controllers.noAddress : shown(address)}`,
      `  ${controllers.dpo}: ${dpo === '' ? controllers.noDpo : shown(dpo)}`,
    ];
  };
  const seen = new Set<string>();
  const everyParty = [...input.senders, ...input.recipients].filter(
    (p) => !seen.has(p.id) && seen.add(p.id),
  );
  const methods = new Set(input.withdrawalMethods ?? WITHDRAWAL_METHODS);
  const authority = input.supervisoryAuthority;
  const retention = (r: NoticeParty) => phrases.retention.atMost(r.retentionDays ?? 0);
  return [
    {
      heading: phrases.retention.heading,
      body: [
        phrases.retention.intro,
        ...input.recipients.map((r) => `- ${name(r)}: ${retention(r)}`),
      ].join('\n'),
    },
    { ...phrases.voluntary },
    {
      heading: phrases.withdrawal.heading,
      body: [
        phrases.withdrawal.intro,
        ...[...methods].map((m) => phrases.withdrawal.methods[m]),
        phrases.withdrawal.effect,
      ].join('\n'),
    },
    {
      heading: controllers.heading,
      body: [controllers.intro, ...everyParty.flatMap(controllerLines)].join('\n'),
    },
    {
      heading: complaint.heading,
      body: [
        complaint.intro,
        shown(authority.name),
        shown(authority.address),
        `${complaint.email}: ${shown(authority.email)}`,
        `${complaint.web}: ${shown(authority.url)}`,
      ].join('\n'),
    },
  ];
}

function legalBasisSection(input: NoticeInput, { phrases }: Writer): NoticeSection {
  const { heading, consent, special } = phrases.legalBasis;
  return { heading, body: input.special ? `${consent}\n${special}` : consent };
}

/**
 * The consent notice for a request, in the request's language: who sends what to whom, which
 * data, what for, until when, how long each recipient keeps it, that refusing has no
 * disadvantage, every way to withdraw, each office as controller with address and DPO, where to
 * complain, and the legal basis; with `special`, a paragraph asking for explicit consent to
 * health data (Art. 9(2)(a) GDPR). Parties and categories appear in the order given.
 *
 * Deterministic: equal input gives a byte-equal `text` (see {@link noticeHash}). The date shown
 * is the UTC calendar date of `validUntil`, day first with Western digits (`31.03.2027`), in
 * English `31 March 2027`.
 *
 * @throws Error on input the edge should have refused (a programming error): no sender, recipient
 *   or category; a party without a name; a recipient without `retentionDays`; an unknown id; a
 *   `validUntil` that is not RFC 3339; or a special category among `categories` while `special`
 *   is false, since a notice must never cover health data without asking for explicit consent.
 */
export function consentNotice(input: NoticeInput): ConsentNotice {
  checkInput(input);
  const writer = writerFor(input.language);
  const sections = [
    ...termsSections(input, writer),
    ...rightsSections(input, writer),
    legalBasisSection(input, writer),
  ];
  const { title } = writer.phrases;
  const text = [title, ...sections.map(({ heading, body }) => `${heading}\n${body}`)].join('\n\n');
  return { language: input.language, title, sections, text };
}

/**
 * The base64url (no padding) SHA-256 of the UTF-8 bytes of `notice.text`: the value recorded in
 * the consent and the receipt, 43 characters long.
 */
export async function noticeHash(notice: ConsentNotice): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(notice.text));
  let binary = '';
  for (const byte of new Uint8Array(digest)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** What a consent request asks for, by ids, as requests and consents store it. */
export interface NoticeTerms {
  readonly senders: readonly string[];
  readonly recipients: readonly string[];
  readonly purpose: string;
  readonly categories: readonly string[];
  readonly validUntil: string;
}

/** Everything about the parties and the tenant a notice names beyond the terms themselves. */
export interface NoticeContext {
  /** The office with that id; recipients with their `retentionDays`. */
  readonly partyOf: (id: string) => NoticeParty;
  readonly supervisoryAuthority: SupervisoryAuthority;
  readonly withdrawalMethods?: readonly WithdrawalMethod[];
}

/**
 * The notice for stored or requested terms in one language: the one place that turns terms into
 * a notice; health data always asks for explicit consent. Callers with `ConsentDeps` use
 * `noticeFor` (notice-context.ts), which loads the context.
 */
export function noticeForTerms(
  terms: NoticeTerms,
  language: Language,
  context: NoticeContext,
): ConsentNotice {
  const categories = terms.categories as readonly DataCategory[];
  return consentNotice({
    language,
    senders: terms.senders.map(context.partyOf),
    recipients: terms.recipients.map(context.partyOf),
    purpose: terms.purpose as Purpose,
    categories,
    validUntil: terms.validUntil,
    special: categories.some((c) => SPECIAL_CATEGORIES.includes(c)),
    supervisoryAuthority: context.supervisoryAuthority,
    ...(context.withdrawalMethods === undefined
      ? {}
      : { withdrawalMethods: context.withdrawalMethods }),
  });
}
