import { z } from 'zod';
import type { AgencyType } from '../certs/ports.ts';
import type { DataCategory } from '../policies/vocabulary.ts';
import type { FieldSpec, MessageType } from './types.ts';

/**
 * One top-level field as a connector declares it: its schema and its data category together, so
 * that a field cannot exist in the schema without a category or the other way round.
 */
export interface FieldDefinition<S extends z.ZodType = z.ZodType> {
  /** The field's value when present; made optional here when `required` is false. */
  readonly schema: S;
  readonly category: DataCategory;
  readonly description: string;
  readonly required: boolean;
}

type FieldDefinitions = Record<string, FieldDefinition>;

type RequiredKeys<F extends FieldDefinitions> = {
  [K in keyof F]: F[K]['required'] extends true ? K : never;
}[keyof F];

/** The message JSON a set of field definitions describes; checks examples at compile time. */
export type MessageOf<F extends FieldDefinitions> = {
  [K in RequiredKeys<F>]: z.input<F[K]['schema']>;
} & {
  [K in Exclude<keyof F, RequiredKeys<F>>]?: z.input<F[K]['schema']>;
};

/** What a connector writes down for one message type. */
export interface MessageTypeDefinition<F extends FieldDefinitions> {
  readonly id: string;
  readonly agencyType: AgencyType;
  readonly title: string;
  readonly description: string;
  readonly fields: F;
  readonly example: MessageOf<F>;
}

/**
 * Builds a message type from its field definitions: the strict top-level schema, the field list
 * and the example all come from one declaration, so they cannot drift apart. Each field's
 * description and category also go into the schema's metadata, so the JSON Schema integrators get
 * from the catalogue names them (`description`, `x-dataCategory`).
 */
export function defineMessageType<const F extends FieldDefinitions>(
  definition: MessageTypeDefinition<F>,
): MessageType {
  const shape: Record<string, z.ZodType> = {};
  const fields: FieldSpec[] = [];
  for (const [name, field] of Object.entries(definition.fields)) {
    const described = field.schema.meta({
      description: field.description,
      'x-dataCategory': field.category,
    });
    shape[name] = field.required ? described : described.optional();
    fields.push({
      name,
      category: field.category,
      description: field.description,
      required: field.required,
    });
  }
  // Frozen: message types are module-wide constants that every request shares.
  return Object.freeze({
    id: definition.id,
    agencyType: definition.agencyType,
    title: definition.title,
    description: definition.description,
    schema: z.strictObject(shape).meta({ title: definition.title }),
    fields: deepFreeze(fields),
    example: deepFreeze(structuredClone(definition.example) as Record<string, unknown>),
  });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

// Building blocks shared by the connectors. None of them transforms its input (no trim, default or
// coercion): the recipient gets the sender's signed JSON unchanged, so what the gateway checked
// must be exactly that JSON. Length checks abort: a string of the wrong length gets one issue, not
// a second one from the pattern, and an overlong string is never run through a regular expression.

const ABORT = { abort: true } as const;

const NO_CONTROL_CHARACTERS = /^[^\p{Cc}\s](?:[^\p{Cc}]*[^\p{Cc}\s])?$/u;
const NO_CONTROL_CHARACTERS_BUT_LINE_BREAKS = /^(?:[^\p{Cc}]|\r?\n)+$/u;

/**
 * A single line of text of at most `max` characters: no control characters, no leading or
 * trailing white space (a value that looks empty or differs only in spacing helps nobody).
 */
export const line = (max: number) =>
  z
    .string()
    .min(1, ABORT)
    .max(max, ABORT)
    .regex(NO_CONTROL_CHARACTERS, 'a single line without control characters or outer spaces');

/** Free text of at most `max` characters; line breaks allowed, other control characters not. */
export const prose = (max: number) =>
  z
    .string()
    .min(1, ABORT)
    .max(max, ABORT)
    .regex(NO_CONTROL_CHARACTERS_BUT_LINE_BREAKS, 'text without control characters');

/** A calendar date, `YYYY-MM-DD`. */
export const isoDate = () => z.iso.date();

/**
 * A country as ISO 3166-1 alpha-3 code, as in German residence documents. ICAO 9303 adds `XXA`
 * (stateless), `XXB` (refugee), `XXC` (other refugee) and `XXX` (unspecified); they fit the pattern.
 */
export const countryCode = () =>
  z
    .string()
    .length(3, ABORT)
    .regex(/^[A-Z]{3}$/, 'an ISO 3166-1 alpha-3 country code in upper case, e.g. "SYR"');

/** A language as ISO 639-1 (two letters) or, where that has none (e.g. Dari `prs`), ISO 639-3. */
export const languageCode = () =>
  z
    .string()
    .min(2, ABORT)
    .max(3, ABORT)
    .regex(/^[a-z]{2,3}$/, 'an ISO 639-1 or ISO 639-3 language code in lower case, e.g. "ar"');

/** Levels of the Common European Framework of Reference for Languages. */
export const CEFR_LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'] as const;

/** A CEFR level, e.g. `B1`. */
export const cefrLevel = () => z.enum(CEFR_LEVELS);

/** People in one household (Bedarfsgemeinschaft); 20 is far above any real one. */
export const householdSize = () => z.int().min(1).max(20);

/** A postal address in Germany. */
export const germanAddress = () =>
  z.strictObject({
    street: line(120).meta({ description: 'Street and house number, e.g. "Domstraße 12a"' }),
    addressSupplement: line(120)
      .meta({ description: 'Further line, e.g. "c/o" or room in shared accommodation' })
      .optional(),
    postalCode: z
      .string()
      .length(5, ABORT)
      .regex(/^\d{5}$/, 'a German postal code: five digits'),
    city: line(80),
  });
