import { z } from 'zod';
import type { AgencyType } from '../certs/ports.ts';
import { GatewayError, type ValidationIssue } from '../core/errors.ts';
import { DATA_CATEGORIES, type DataCategory } from '../policies/vocabulary.ts';
import { immigrationOfficeConnector } from './immigration_office/index.ts';
import { jobcenterConnector } from './jobcenter/index.ts';
import { socialOfficeConnector } from './social_office/index.ts';
import type { Connector, MessageType } from './types.ts';

/** Every connector the gateway knows, one per agency type, in the order of `AGENCY_TYPES`. */
export const CONNECTORS: readonly Connector[] = [
  immigrationOfficeConnector,
  jobcenterConnector,
  socialOfficeConnector,
];

// A Map rather than an object, so that ids such as "constructor" or "__proto__" find nothing.
const byId = new Map<string, MessageType>();
for (const connector of CONNECTORS) {
  for (const messageType of connector.messageTypes) {
    // Fails at module load: two connectors claiming one id would make categories ambiguous.
    if (byId.has(messageType.id)) throw new Error(`duplicate message type ${messageType.id}`);
    byId.set(messageType.id, messageType);
  }
}

/** The message type with this id, from any connector; undefined if none has it. */
export function findMessageType(id: string): MessageType | undefined {
  return byId.get(id);
}

/** A message that passed its type's schema, with the data categories it carries. */
export interface ParsedMessage {
  readonly messageType: MessageType;
  /** The message as received; schemas do not transform, so this is what the sender signed. */
  readonly message: Record<string, unknown>;
  /** Each top-level field present, in the message type's field order. */
  readonly fields: readonly { readonly pointer: string; readonly category: DataCategory }[];
  /** The distinct categories of those fields, in vocabulary order. */
  readonly categories: readonly DataCategory[];
}

/**
 * Upper bound on the issues one refusal lists: a message with thousands of unknown keys should
 * not turn into an error answer of the same size.
 */
export const MAX_ISSUES = 50;

/**
 * Validates a message against its type and works out the data categories it carries. The
 * categories come from the fields present in the message, never from anything the sender
 * declares, so a message can carry nothing its consent does not cover unnoticed.
 *
 * @throws GatewayError `validation_failed` for an unknown type (issue at `/messageType`) or a
 *   message its schema refuses (issues at JSON pointers under `/payload`). Messages never quote
 *   the values sent: they may be personal data.
 *
 * @example
 * ```ts
 * const parsed = parseMessage('benefit.status', { benefitType: 'AsylbLG', since: '2025-06-01' });
 * parsed.categories; // ['benefits']
 * ```
 */
export function parseMessage(messageTypeId: string, message: unknown): ParsedMessage {
  const messageType = findMessageType(messageTypeId);
  if (!messageType) {
    throw new GatewayError('validation_failed', {
      detail: 'unknown message type',
      errors: [
        { path: '/messageType', message: 'unknown message type; GET /v1/connectors lists them' },
      ],
    });
  }
  const result = messageType.schema.safeParse(message);
  if (!result.success) {
    throw new GatewayError('validation_failed', {
      detail: `the payload is not a valid ${messageType.id} message`,
      errors: issuesOf(result.error.issues),
    });
  }
  // Every schema is a strict object, so success means a plain object with known keys only.
  const parsed = result.data as Record<string, unknown>;
  const fields = messageType.fields
    .filter((field) => Object.hasOwn(parsed, field.name) && parsed[field.name] !== undefined)
    .map((field) => ({ pointer: pointerOf([field.name]), category: field.category }));
  const present = new Set(fields.map((field) => field.category));
  return {
    messageType,
    message: parsed,
    fields,
    categories: DATA_CATEGORIES.filter((category) => present.has(category)),
  };
}

function issuesOf(issues: readonly z.core.$ZodIssue[]): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      // One issue per key, pointing at the key itself: easier to act on than zod's list.
      for (const key of issue.keys) {
        out.push({ path: pointerOf(['payload', ...issue.path, key]), message: 'unknown field' });
      }
    } else {
      out.push({ path: pointerOf(['payload', ...issue.path]), message: issue.message });
    }
  }
  return out.slice(0, MAX_ISSUES);
}

/**
 * RFC 6901 JSON pointer. Issues point into the request body, where the message is `payload`;
 * field pointers point into the message itself, as `fields_not_covered` names them.
 */
function pointerOf(path: readonly PropertyKey[]): string {
  return path
    .map((segment) => '/' + String(segment).replaceAll('~', '~0').replaceAll('/', '~1'))
    .join('');
}

/** One message type as integrators see it in the catalogue. */
export interface CatalogueEntry {
  readonly id: string;
  readonly agencyType: AgencyType;
  readonly title: string;
  readonly description: string;
  /** The distinct categories the type's fields belong to, in vocabulary order. */
  readonly categories: DataCategory[];
  readonly fields: {
    readonly name: string;
    readonly category: DataCategory;
    readonly required: boolean;
    readonly description: string;
  }[];
  readonly example: Record<string, unknown>;
  /** JSON Schema (draft 2020-12) of the message; each field names its `x-dataCategory`. */
  readonly jsonSchema: Record<string, unknown>;
}

/**
 * Every message type of every connector, described for integrators: what to send, which
 * categories each field needs consent for, an example and the JSON Schema to check against.
 * Built afresh on each call, so callers may change what they get.
 */
export function catalogue(): CatalogueEntry[] {
  return CONNECTORS.flatMap((connector) =>
    connector.messageTypes.map((messageType) => {
      const used = new Set(messageType.fields.map((field) => field.category));
      return {
        id: messageType.id,
        agencyType: messageType.agencyType,
        title: messageType.title,
        description: messageType.description,
        categories: DATA_CATEGORIES.filter((category) => used.has(category)),
        fields: messageType.fields.map((field) => ({
          name: field.name,
          category: field.category,
          required: field.required,
          description: field.description,
        })),
        example: structuredClone(messageType.example),
        jsonSchema: z.toJSONSchema(messageType.schema),
      };
    }),
  );
}
