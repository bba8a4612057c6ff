import { describe, expect, it } from 'vitest';
import { AGENCY_TYPES } from '../certs/ports.ts';
import { GatewayError } from '../core/errors.ts';
import { DATA_CATEGORIES, SPECIAL_CATEGORIES, type DataCategory } from '../policies/vocabulary.ts';
import {
  CONNECTORS,
  MAX_ISSUES,
  catalogue,
  findMessageType,
  parseMessage,
  type MessageType,
} from './index.ts';

const allTypes: MessageType[] = CONNECTORS.flatMap((connector) => [...connector.messageTypes]);

/** Runs `fn` and answers the GatewayError it throws; fails the test if it throws none. */
function refusal(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected a GatewayError');
}

/** The distinct categories of the example's fields, in vocabulary order, worked out by hand. */
function expectedCategories(type: MessageType, message: Record<string, unknown>): DataCategory[] {
  const present = new Set(
    type.fields.filter((field) => field.name in message).map((field) => field.category),
  );
  return DATA_CATEGORIES.filter((category) => present.has(category));
}

/** A copy of the message without one top-level field. */
function without(message: Record<string, unknown>, name: string): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(structuredClone(message)).filter(([key]) => key !== name),
  );
}

type JsonSchemaNode = Record<string, unknown>;

/** Every sub-schema of a JSON Schema, with where it is, for structural checks. */
function* walk(node: unknown, at = '#'): Generator<[string, JsonSchemaNode]> {
  if (Array.isArray(node)) {
    for (const [index, item] of node.entries()) yield* walk(item, `${at}/${index}`);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const schema = node as JsonSchemaNode;
  if ('type' in schema || 'anyOf' in schema || 'enum' in schema) yield [at, schema];
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && typeof value === 'object' && value !== null) {
      for (const [name, property] of Object.entries(value)) {
        yield* walk(property, `${at}/properties/${name}`);
      }
    } else if (key === 'items' || key === 'anyOf' || key === 'oneOf' || key === 'allOf') {
      yield* walk(value, `${at}/${key}`);
    }
  }
}

/** A copy of the example with an unknown key added to its first nested object, if it has one. */
function withNestedUnknown(
  example: Record<string, unknown>,
): [Record<string, unknown>, string] | undefined {
  const copy = structuredClone(example);
  const visit = (value: unknown, pointer: string): string | undefined => {
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) {
        const found = visit(item, `${pointer}/${index}`);
        if (found) return found;
      }
      return undefined;
    }
    if (typeof value === 'object' && value !== null) {
      (value as Record<string, unknown>)['notInSchema'] = 'x';
      return `${pointer}/notInSchema`;
    }
    return undefined;
  };
  for (const [name, value] of Object.entries(copy)) {
    const found = visit(value, `/payload/${name}`);
    if (found) return [copy, found];
  }
  return undefined;
}

describe('connector set', () => {
  it('has exactly one connector per agency type, in vocabulary order', () => {
    expect(CONNECTORS.map((connector) => connector.agencyType)).toEqual([...AGENCY_TYPES]);
  });

  it('has globally unique message type ids', () => {
    const ids = allTypes.map((type) => type.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has the message types of the contract, and at least three per agency type', () => {
    expect(findMessageType('residence_status.notice')?.agencyType).toBe('immigration_office');
    expect(findMessageType('jobseeker.profile')?.agencyType).toBe('jobcenter');
    expect(findMessageType('benefit.status')?.agencyType).toBe('social_office');
    for (const connector of CONNECTORS) {
      expect(connector.messageTypes.length).toBeGreaterThanOrEqual(3);
      for (const type of connector.messageTypes) expect(type.agencyType).toBe(connector.agencyType);
    }
  });

  it('finds nothing for unknown ids, also those of Object.prototype', () => {
    for (const id of ['nope', 'constructor', '__proto__', 'toString', '']) {
      expect(findMessageType(id)).toBeUndefined();
    }
  });

  it('names ids as <subject>.<kind> in lower case', () => {
    for (const type of allTypes) expect(type.id).toMatch(/^[a-z][a-z_]*\.[a-z][a-z_]*$/);
  });
});

describe.each(allTypes.map((type) => [type.id, type] as const))('%s', (_id, type) => {
  const jsonSchema = catalogue().find((entry) => entry.id === type.id)?.jsonSchema ?? {};

  it('gives every top-level property exactly one field spec, with the same required-ness', () => {
    expect(Object.keys(jsonSchema['properties'] as object)).toEqual(
      type.fields.map((field) => field.name),
    );
    expect(jsonSchema['required'] ?? []).toEqual(
      type.fields.filter((field) => field.required).map((field) => field.name),
    );
    for (const field of type.fields) {
      expect(DATA_CATEGORIES).toContain(field.category);
      expect(field.description.length).toBeGreaterThan(10);
    }
  });

  it('refuses unknown properties on every object, bounds every string, array and number', () => {
    for (const [at, node] of walk(jsonSchema)) {
      if (node['type'] === 'object') expect(node['additionalProperties'], at).toBe(false);
      if (node['type'] === 'array') expect(node['maxItems'], at).toBeTypeOf('number');
      if (node['type'] === 'string') {
        const bounded =
          typeof node['maxLength'] === 'number' ||
          'enum' in node ||
          'const' in node ||
          node['format'] === 'date';
        expect(bounded, at).toBe(true);
      }
      if (node['type'] === 'integer' || node['type'] === 'number') {
        expect(node['minimum'], at).toBeTypeOf('number');
        expect(node['maximum'], at).toBeTypeOf('number');
      }
    }
  });

  it('parses its example unchanged, carrying exactly the categories of the fields present', () => {
    const parsed = parseMessage(type.id, structuredClone(type.example));
    expect(parsed.messageType).toBe(type);
    expect(parsed.message).toStrictEqual(type.example);
    expect(parsed.fields.map((field) => field.pointer)).toEqual(
      type.fields.filter((field) => field.name in type.example).map((field) => `/${field.name}`),
    );
    expect(parsed.categories).toEqual(expectedCategories(type, type.example));
  });

  it('drops the category of an optional field that is absent', () => {
    for (const field of type.fields.filter((candidate) => !candidate.required)) {
      const message = without(type.example, field.name);
      const parsed = parseMessage(type.id, message);
      expect(parsed.fields.map((f) => f.pointer)).not.toContain(`/${field.name}`);
      expect(parsed.categories).toEqual(expectedCategories(type, message));
      // Only another field of the same category may keep it.
      const kept = type.fields.some(
        (other) => other.name in message && other.category === field.category,
      );
      expect(parsed.categories.includes(field.category)).toBe(kept);
    }
  });

  it('refuses an unknown top-level field', () => {
    const error = refusal(() => parseMessage(type.id, { ...type.example, comment: 'hi' }));
    expect(error.code).toBe('validation_failed');
    expect(error.status).toBe(422);
    expect(error.errors).toEqual([{ path: '/payload/comment', message: 'unknown field' }]);
  });

  it('refuses an unknown nested field', () => {
    const nested = withNestedUnknown(type.example);
    if (!nested) {
      // A flat message type: nothing nested to sneak a field into.
      const objects = [...walk(jsonSchema)].filter(([, node]) => node['type'] === 'object');
      expect(objects).toHaveLength(1);
      return;
    }
    const [message, pointer] = nested;
    const error = refusal(() => parseMessage(type.id, message));
    expect(error.code).toBe('validation_failed');
    expect(error.errors).toEqual([{ path: pointer, message: 'unknown field' }]);
  });

  it('refuses a message missing any required field', () => {
    for (const field of type.fields.filter((candidate) => candidate.required)) {
      const message = without(type.example, field.name);
      const error = refusal(() => parseMessage(type.id, message));
      expect(error.code).toBe('validation_failed');
      expect(error.errors?.map((issue) => issue.path)).toEqual([`/payload/${field.name}`]);
    }
  });

  it('refuses anything but an object', () => {
    for (const message of [null, undefined, 'text', 42, [], [type.example]]) {
      const error = refusal(() => parseMessage(type.id, message));
      expect(error.errors?.map((issue) => issue.path)).toEqual(['/payload']);
    }
  });
});

describe('parseMessage', () => {
  it('refuses an unknown message type at /messageType', () => {
    for (const id of ['residence_status.unknown', 'constructor', '__proto__']) {
      const error = refusal(() => parseMessage(id, {}));
      expect(error.code).toBe('validation_failed');
      expect(error.errors).toEqual([
        { path: '/messageType', message: expect.any(String) as string },
      ]);
    }
  });

  it('derives categories from the fields, whatever their values say', () => {
    // An empty list still tells the recipient something about the person: it counts.
    const parsed = parseMessage('jobseeker.profile', {
      qualifications: [],
      languageLevel: 'A1',
      registeredSince: '2026-01-05',
    });
    expect(parsed.categories).toEqual(['qualifications', 'language_skills', 'employment_history']);
  });

  it('treats a key whose value is undefined as absent', () => {
    const parsed = parseMessage('benefit.status', {
      benefitType: 'none',
      since: '2026-01-01',
      householdSize: undefined,
    });
    expect(parsed.categories).toEqual(['benefits']);
    expect(parsed.fields).toEqual([
      { pointer: '/benefitType', category: 'benefits' },
      { pointer: '/since', category: 'benefits' },
    ]);
  });

  it('refuses a __proto__ key from JSON rather than letting it through', () => {
    const message: unknown = JSON.parse(
      '{"benefitType":"AsylbLG","since":"2025-06-01","__proto__":{"householdSize":2}}',
    );
    const error = refusal(() => parseMessage('benefit.status', message));
    expect(error.errors).toEqual([{ path: '/payload/__proto__', message: 'unknown field' }]);
  });

  it('lists every issue, with RFC 6901 pointers, and escapes ~ and / in unknown keys', () => {
    const error = refusal(() =>
      parseMessage('residence_status.notice', {
        residenceTitle: { kind: 'visa', legalBasis: '', validUntil: '2027-02-30' },
        employmentPermission: { allowed: 'yes' },
        'a/b~c': 1,
      }),
    );
    expect(error.errors?.map((issue) => issue.path).sort()).toEqual(
      [
        '/payload/a~1b~0c',
        '/payload/employmentPermission/allowed',
        '/payload/residenceTitle/kind',
        // Once: a failed length check stops the pattern check on the same string.
        '/payload/residenceTitle/legalBasis',
        '/payload/residenceTitle/validUntil',
      ].sort(),
    );
  });

  it('never quotes the values sent in its issues', () => {
    const canary = 'CANARY-Ünal-1990';
    const error = refusal(() =>
      parseMessage('identity.summary', {
        familyName: canary.repeat(20),
        givenNames: ` ${canary}`,
        birthDate: canary,
        nationalities: [canary],
        languagesSpoken: [canary],
      }),
    );
    expect(error.errors?.length).toBeGreaterThanOrEqual(5);
    expect(JSON.stringify(error.errors)).not.toContain('CANARY');
    expect(error.message).not.toContain('CANARY');
  });

  it(`lists at most ${MAX_ISSUES} issues`, () => {
    const junk = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`extra${i}`, i]));
    const error = refusal(() =>
      parseMessage('benefit.status', { benefitType: 'AsylbLG', since: '2025-06-01', ...junk }),
    );
    expect(error.errors).toHaveLength(MAX_ISSUES);
  });

  it('refuses text with control characters or outer spaces, accepts line breaks in prose', () => {
    const base = findMessageType('residence_status.notice')?.example ?? {};
    for (const legalBasis of [
      ' § 60a AufenthG',
      '§ 60a AufenthG ',
      '§ 60a\u0000AufenthG',
      '§\n60a',
    ]) {
      const message = { ...base, residenceTitle: { kind: 'duldung', legalBasis } };
      const error = refusal(() => parseMessage('residence_status.notice', message));
      expect(error.errors?.map((issue) => issue.path)).toEqual([
        '/payload/residenceTitle/legalBasis',
      ]);
    }
    const parsed = parseMessage('residence_status.notice', {
      ...base,
      employmentPermission: {
        allowed: true,
        conditions: 'Nur Beschäftigung A.\nKeine Selbständigkeit.',
      },
    });
    expect(parsed.categories).toContain('employment_permission');
  });
});

describe('catalogue', () => {
  it('describes every message type with fields, categories, example and JSON Schema', () => {
    const entries = catalogue();
    expect(entries.map((entry) => entry.id)).toEqual(allTypes.map((type) => type.id));
    for (const entry of entries) {
      const type = findMessageType(entry.id);
      expect(type).toBeDefined();
      expect(entry.agencyType).toBe(type?.agencyType);
      expect(entry.fields).toEqual(
        type?.fields.map(({ name, category, required, description }) => ({
          name,
          category,
          required,
          description,
        })),
      );
      expect(entry.categories).toEqual(
        DATA_CATEGORIES.filter((c) => entry.fields.some((field) => field.category === c)),
      );
      expect(entry.example).toEqual(type?.example);
      expect(entry.jsonSchema['type']).toBe('object');
      const properties = entry.jsonSchema['properties'] as Record<string, JsonSchemaNode>;
      for (const field of entry.fields) {
        expect(properties[field.name]?.['x-dataCategory']).toBe(field.category);
        expect(properties[field.name]?.['description']).toBe(field.description);
      }
    }
  });

  it('hands out copies: changing an entry changes nothing for the next caller', () => {
    const first = catalogue()[0];
    if (!first) throw new Error('empty catalogue');
    first.example['injected'] = true;
    first.fields.length = 0;
    const again = catalogue()[0];
    expect(again?.example).not.toHaveProperty('injected');
    expect(again?.fields.length).toBeGreaterThan(0);
    // The shared message types themselves cannot be changed either.
    for (const type of allTypes) {
      expect(Object.isFrozen(type)).toBe(true);
      expect(Object.isFrozen(type.fields)).toBe(true);
      expect(Object.isFrozen(type.example)).toBe(true);
    }
  });

  it('marks the special category: the health coverage notice carries health', () => {
    const parsed = parseMessage(
      'health_coverage.notice',
      findMessageType('health_coverage.notice')?.example,
    );
    expect(parsed.categories).toContain('health');
    expect(SPECIAL_CATEGORIES).toContain('health');
    // And nothing else carries it: health data only under a message type that says so.
    const carriers = catalogue()
      .filter((entry) => entry.categories.includes('health'))
      .map((entry) => entry.id);
    expect(carriers).toEqual(['health_coverage.notice']);
  });
});
