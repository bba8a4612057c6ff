/**
 * The fixed wording of the consent notice in every portal language, one file per language. The
 * German text is the reference, written in Einfache Sprache; the others say the same, in plain
 * words, `de-x-ls` in Leichte Sprache. Every text here is part of what the person agrees to, so any change changes the hash.
 */
import type { Language } from '../policies/index.ts';
import type { CalendarDate } from './notice-dates.ts';
import { ar } from './notice-phrases-ar.ts';
import { de } from './notice-phrases-de.ts';
import { deXLs } from './notice-phrases-de-x-ls.ts';
import { en } from './notice-phrases-en.ts';
import { fa } from './notice-phrases-fa.ts';
import { tr } from './notice-phrases-tr.ts';
import { uk } from './notice-phrases-uk.ts';
import type { WithdrawalMethod } from './withdrawal-methods.ts';

interface Titled {
  readonly heading: string;
  readonly body: string;
}

export interface NoticePhrases {
  readonly title: string;
  readonly parties: {
    readonly heading: string;
    readonly intro: string;
    readonly senders: string;
    readonly recipients: string;
  };
  readonly data: { readonly heading: string; readonly intro: string };
  readonly special: Titled;
  readonly purpose: { readonly heading: string; readonly intro: string };
  readonly duration: { readonly heading: string; readonly body: (date: string) => string };
  /** How long each recipient may keep the data after receiving it (Art. 13(2)(a) GDPR). */
  readonly retention: {
    readonly heading: string;
    readonly intro: string;
    /** "höchstens 365 Tage": the grammar of the number is the language's. */
    readonly atMost: (days: number) => string;
  };
  /** Refusing has no disadvantage (Art. 7(4) GDPR). */
  readonly voluntary: Titled;
  /** Every way to withdraw (Art. 7(3) GDPR), one line each, then what withdrawing does. */
  readonly withdrawal: {
    readonly heading: string;
    readonly intro: string;
    readonly methods: Readonly<Record<WithdrawalMethod, string>>;
    readonly effect: string;
  };
  /** Each office as controller with its address and its DPO (Art. 13(1)(a), (b) GDPR). */
  readonly controllers: {
    readonly heading: string;
    readonly intro: string;
    readonly address: string;
    readonly dpo: string;
    /** Where an office registered no address: honest, and says what to do. */
    readonly noAddress: string;
    /** Where an office registered no DPO contact: every public body has one, at its address. */
    readonly noDpo: string;
  };
  /** The right to complain to the supervisory authority (Art. 13(2)(d), Art. 77 GDPR). */
  readonly complaint: {
    readonly heading: string;
    readonly intro: string;
    readonly email: string;
    readonly web: string;
  };
  readonly legalBasis: {
    readonly heading: string;
    readonly consent: string;
    readonly special: string;
  };
  readonly date: (date: CalendarDate) => string;
}

export const PHRASES: Readonly<Record<Language, NoticePhrases>> = {
  de,
  'de-x-ls': deXLs,
  en,
  ar,
  uk,
  fa,
  tr,
};
