import fc from 'fast-check';
import { CompactSign, exportJWK, generateKeyPair, type JSONWebKeySet } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../core/index.ts';
import { buildBundle, checkBundle, entryAt, entryLabel, scanJson } from './bundle.ts';
import { leafHash } from './leaf.ts';
import { MemoryNodeStore } from './memory-tree.ts';
import type { AuditEntry, AuditStore } from './ports.ts';

const slices = (text: string, arrayName = 'entries'): string[] =>
  scanJson(text, arrayName).elements.map((span) => text.slice(span.start, span.end));

const parses = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('scanJson', () => {
  it('finds each element of the array, whatever its strings hold', () => {
    const items = [
      { a: 'say \\"hi\\" ]}, {[' },
      { seq: 1, note: '\\\\', nested: { deep: [1, { x: '"]' }], empty: {} }, list: [] },
      'a string with ] and } and \\" inside',
      [[], [[{}]]],
      -0.5e-3,
      null,
    ];
    const text = JSON.stringify({ before: { entries: ['not', 'this'] }, entries: items });
    expect(slices(text).map((s) => JSON.parse(s) as unknown)).toEqual(items);
    expect(scanJson(text, 'entries').error).toBeUndefined();
  });

  it('keeps the white space between elements out of their spans', () => {
    const text = '{ "entries" : [ {"a":1} ,\n\t{ "b" : [ 2 , 3 ] }\r\n ] , "x" : true }';
    expect(slices(text)).toEqual(['{"a":1}', '{ "b" : [ 2 , 3 ] }']);
    const members = scanJson(text).members;
    expect([...members.keys()]).toEqual(['entries', 'x']);
    const x = members.get('x');
    expect(x && text.slice(x.start, x.end)).toBe('true');
  });

  it('reads member names as JSON.parse does: escapes decoded, the last of a repeated name', () => {
    const text = '{"entries":[1,2],"entr\\u0069es":[{"q":"\\"["}],"x":0}';
    expect(slices(text)).toEqual(['{"q":"\\"["}']);
    expect((JSON.parse(text) as { entries: unknown[] }).entries).toHaveLength(1);
  });

  it('finds nothing when the member is not an array or the top is not an object', () => {
    expect(slices('{"entries":{"a":[1]}}')).toEqual([]);
    expect(slices('[{"entries":[1]}]')).toEqual([]);
    expect(slices('"entries"')).toEqual([]);
  });

  it('says where the text stops being JSON, and in which element', () => {
    const text = '{"entries":[{"s":"a\\"b"},{"s":"c"d"},{"s":"e"}]}';
    const { error, elements } = scanJson(text, 'entries');
    expect(error).toMatchObject({ offset: text.indexOf('d"}'), element: 1 });
    expect(error?.within).toEqual({ member: 'entries', start: text.indexOf('[') });
    expect(elements).toHaveLength(2);
    expect(text.slice(elements[1]?.start, elements[1]?.end)).toBe('{"s":"c"');
  });

  it('puts a string that swallowed its closing quote in the element it began in', () => {
    // The last quote of element 0 is gone: its string runs into element 1 and ends there.
    const text = '{"entries":[{"a":"x},{"a":"y"}],"z":1}';
    expect(scanJson(text, 'entries').error).toMatchObject({ element: 0 });
    const cut = '{"entries":[{"a":"x"},{"a":"y}],"z":1}';
    expect(scanJson(cut, 'entries').error).toMatchObject({ element: 1 });
  });

  it('names the element before an error between elements, and none outside the array', () => {
    expect(scanJson('{"entries":[{},{} {}]}', 'entries').error).toMatchObject({ element: 1 });
    expect(scanJson('{"entries":[{},x]}', 'entries').error).toMatchObject({ element: 1 });
    expect(scanJson('{"entries":[{},{}],"p":[x]}', 'entries').error?.element).toBeUndefined();
    expect(scanJson('{"p":x,"entries":[{}]}', 'entries').error?.element).toBeUndefined();
    expect(scanJson('{"entries":[{"a":1}', 'entries').error).toMatchObject({
      offset: 19,
      element: 0,
    });
  });

  it('reports the first offending character', () => {
    const at = (text: string) => scanJson(text).error?.offset;
    expect(at('{"a":01}')).toBe(6);
    expect(at('{"a":1.}')).toBe(7);
    expect(at('{"a":"\\x"}')).toBe(6);
    expect(at('{"a":"\\u12g4"}')).toBe(6);
    expect(at('{"a":"\u0001"}')).toBe(6);
    expect(at('{"a":tru}')).toBe(5);
    expect(at('{"a":1} x')).toBe(8);
    expect(at('{"a":1,}')).toBe(7);
    expect(at('\uFEFF{}')).toBe(0);
    expect(at('')).toBe(0);
  });

  it('accepts exactly what JSON.parse accepts', () => {
    const significant = fc.constantFrom(
      ...'{}[]:,"\\ \t\n\r0123456789.-+eEtrufalsn\u0000\u00a0x/'.split(''),
    );
    const mutated = fc
      .tuple(fc.json({ maxDepth: 4 }), fc.nat(), significant, fc.boolean())
      .map(([json, at, char, insert]) => {
        const i = json.length === 0 ? 0 : at % json.length;
        return json.slice(0, i) + char + json.slice(insert ? i : i + 1);
      });
    fc.assert(
      fc.property(fc.oneof(fc.json({ maxDepth: 4 }), mutated, fc.string()), (text) => {
        expect(scanJson(text, 'entries').error === undefined).toBe(parses(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('finds the elements JSON.parse finds', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue({ maxDepth: 3 })), fc.jsonValue(), (items, other) => {
        const text = JSON.stringify({ other, entries: items }, null, items.length % 3);
        const found = slices(text).map((s) => JSON.parse(s) as unknown);
        expect(found).toEqual(JSON.parse(JSON.stringify(items)));
      }),
      { numRuns: 500 },
    );
  });

  it('does linear work on deep nesting', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    expect(scanJson(deep).error).toBeUndefined();
    const unbalanced = deep.slice(1);
    expect(scanJson(unbalanced).error?.offset).toBe(unbalanced.length - 1);
  });
});

describe('entryAt', () => {
  const text = '{"entries":[{"seq":4,"a":"x"},{"a":"y","seq":5}],"z":"w"}';

  it('names the entry holding an offset, by position and seq', () => {
    expect(entryAt(text, text.indexOf('x'))).toBe('entry at position 0 (seq 4)');
    expect(entryAt(text, text.indexOf('y'))).toBe('entry at position 1 (seq 5)');
    expect(entryAt(text, text.indexOf('w'))).toBeUndefined();
    expect(entryAt(text, text.indexOf('},{') + 1)).toBeUndefined();
  });

  it('names the entry the text stops being JSON in, with its seq if it came before', () => {
    const broken = text.replace('"y"', '"y');
    expect(entryAt(broken, broken.indexOf('y'))).toBe('entry at position 1');
    const later = text.replace('"x"', '"x');
    expect(entryAt(later, later.indexOf('x'))).toBe('entry at position 0 (seq 4)');
  });

  it('labels an entry without a readable seq by its position alone', () => {
    expect(entryLabel(3, 3)).toBe('entry at position 3 (seq 3)');
    expect(entryLabel(3, '3')).toBe('entry at position 3');
    expect(entryLabel(3, 1.5)).toBe('entry at position 3');
  });
});

describe('bundles', () => {
  let jwks: JSONWebKeySet;
  let text: string;
  let entries: AuditEntry[];

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k', alg: 'ES256' }] };
    const tree = new MemoryNodeStore();
    // Stored with their members out of canonical order, as a store might hand them out.
    entries = Array.from({ length: 7 }, (_, seq) => ({
      time: `2026-11-0${seq + 1}T00:00:00.000Z`,
      seq,
      tenant: 'koeln',
      event: 'consent.requested',
      outcome: 'ok',
      actor: seq === 3 ? 'jc-köln "quoted" \\ ]}' : 'jc-koeln',
      categories: ['residence_status'],
    }));
    for (const entry of entries) await tree.append(await leafHash(entry));
    const store: AuditStore = {
      // Size only, as a head stored before heads kept their root: completed from the nodes.
      head: () => Promise.resolve({ size: entries.length }),
      getNode: (_tenant, level, index) => tree.getNode(level, index),
      entries: (_tenant, query) =>
        Promise.resolve(entries.filter((e) => e.seq > query.afterSeq).slice(0, query.limit)),
      entryJson: () => Promise.resolve(undefined),
      entriesAbout: () => Promise.resolve([]),
      commit: () => Promise.resolve(),
    };
    const bundle = await buildBundle({
      store,
      tenantId: 'koeln',
      range: {},
      now: '2026-11-08T00:00:00.000Z',
      jwks,
      openpgpKey: '',
      signTreeHead: (head) =>
        new CompactSign(new TextEncoder().encode(JSON.stringify(head)))
          .setProtectedHeader({ alg: 'ES256', kid: 'k' })
          .sign(privateKey),
    });
    text = JSON.stringify(bundle);
  });

  it('writes each entry as its canonical JSON, and such a bundle checks', async () => {
    expect(slices(text)).toEqual(entries.map((e) => canonicalJson(e)));
    const report = await checkBundle(text, jwks);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.checks.map((c) => c.name)).toContain('entry at position 6 (seq 6)');
  });

  const failures = async (changed: string) => {
    expect(changed).not.toBe(text);
    const report = await checkBundle(changed, jwks);
    expect(report.ok).toBe(false);
    return report.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail ?? ''}`);
  };
  const inEntry = (seq: number, from: string, to: string) => {
    const span = scanJson(text, 'entries').elements[seq];
    if (span === undefined) throw new Error('no such entry');
    const entry = text.slice(span.start, span.end);
    expect(entry).toContain(from);
    return text.slice(0, span.start) + entry.replace(from, to) + text.slice(span.end);
  };

  it('names the entry of a changed value by the inclusion proof', async () => {
    expect(await failures(inEntry(2, 'jc-koeln', 'jc-koelm'))).toEqual([
      'entry at position 2 (seq 2): not included under the signed root: changed or forged',
    ]);
  });

  it('names the entry a broken quote or escape is in', async () => {
    for (const [seq, from, to] of [
      [5, '"actor":"', '"actor":\''],
      [3, '\\"quoted\\"', '\\"quoted"'],
      [3, '\\\\', '\\'],
      [1, '"time":"2026-11-02T00:00:00.000Z"', '"time":"2026-11-02T00:00:00.000Z'],
      [6, '"time":"2026-11-07T00:00:00.000Z"', '"time":"2026-11-07T00:00:00.000Z'],
      [0, '{"actor"', '{actor"'],
      [4, '}', ']'],
    ] as const) {
      const report = await failures(inEntry(seq, from, to));
      expect(report[0]).toMatch(/^bundle: not valid JSON at offset \d+/);
      expect(report[1], `${from} → ${to}`).toMatch(
        new RegExp(`^entry at position ${seq}( \\(seq ${seq}\\))?: not valid JSON`),
      );
      expect(report).toHaveLength(2);
    }
  });

  it('names the entry whose text no longer is its canonical JSON, though its value is', async () => {
    for (const [seq, from, to] of [
      [4, '"seq":4', '"seq":4.0'],
      [4, '"seq":4', '"seq":4e0'],
      [2, '"outcome":"ok"', '"outcome": "ok"'],
      [2, '"outcome":"ok"', '"outcome":"\\u006fk"'],
      [3, 'köln', 'k\\u00f6ln'],
      [3, '"categories":["residence_status"]', '"categories":[ "residence_status" ]'],
      [1, '"actor":"jc-koeln",', '"actor":"x","actor":"jc-koeln",'],
    ] as const) {
      expect(await failures(inEntry(seq, from, to)), `${from} → ${to}`).toEqual([
        `entry at position ${seq} (seq ${seq}): not in canonical form — changed after signing`,
      ]);
    }
  });

  it('names an entry whose seq was changed by its position', async () => {
    expect(await failures(inEntry(2, '"seq":2', '"seq":3'))).toEqual([
      'entry at position 2 (seq 3): states seq 3 but its proof is for seq 2: changed or forged',
    ]);
    expect(await failures(inEntry(2, '"seq":2', '"seq":2.5'))).toEqual([
      'entry at position 2: states seq 2.5 but its proof is for seq 2: changed or forged',
    ]);
  });

  it('fails a bundle that is not JSON without naming an entry it is not in', async () => {
    expect(await failures(text.replace('"proofs":[', '"proofs":[x'))).toEqual([
      expect.stringMatching(/^bundle: not valid JSON at offset \d+: expected a JSON value$/),
    ]);
    expect(await failures(text.replace('{"format"', '{"format":0,"x"'))).toEqual([
      'bundle: not a consent-gateway audit bundle',
    ]);
  });
});
