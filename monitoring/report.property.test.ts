import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../audit/index.ts';
import { parsePeriod } from './periods.ts';
import type { MonitoringReport, MonitoringTable } from './report.ts';
import { disclosed, type CountSystem, type Equation } from './suppression.ts';
import { computeReport } from './tables.ts';
import { MonitoringTally } from './tally.ts';

// Random audit histories, folded and published as the gateway does: the published report must
// show every true count or withhold it, withhold every 1 and 2, and leave no withheld count that
// an outsider can compute from everything published for the period: the six tables, their
// totals, and the sums that tie each office-type row to its agency rows. The truth is counted
// here from the drawn cases, apart from the tally.

const AGENCIES = [
  ['abh-a', 'immigration_office'],
  ['jc-a', 'jobcenter'],
  ['jc-b', 'jobcenter'],
  ['so-a', 'social_office'],
] as const;
const PURPOSES = ['labour_market_integration', 'benefit_eligibility'] as const;
const REASONS = ['consent_missing', 'policy_denied', 'signature_invalid'] as const;

const caseArb = fc.record({
  sender: fc.constantFrom(...AGENCIES.map(([id]) => id)),
  recipient: fc.constantFrom(...AGENCIES.map(([id]) => id)),
  purpose: fc.constantFrom(...PURPOSES),
  outcome: fc.constantFrom('granted', 'declined', 'expired', 'open'),
  revoked: fc.boolean(),
  sends: fc.array(fc.constantFrom('queued', 'delivered', 'acknowledged', 'withheld'), {
    maxLength: 3,
  }),
  refusals: fc.array(fc.constantFrom(...REASONS), { maxLength: 2 }),
});
type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

/** The log the gateway would have written for these cases, in November 2026 unless told. */
function historyOf(
  cases: readonly Case[],
  monthOfCase: (i: number) => number = () => 10,
): AuditEntry[] {
  const entries: AuditEntry[] = [];
  // Registrations first, at the start of October; each case from the 2nd of its month on.
  let time = Date.parse('2026-10-01T08:00:00Z');
  let caseNo = -1;
  const add = (fields: Partial<AuditEntry> & Pick<AuditEntry, 'event'>) => {
    const start = caseNo < 0 ? time : Date.UTC(2026, monthOfCase(caseNo), 2, 8);
    time = Math.max(time + 60_000, start);
    entries.push({
      seq: entries.length,
      tenant: 't',
      time: new Date(time).toISOString(),
      actor: 'x',
      outcome: 'ok',
      ...fields,
    });
  };
  for (const [id, type] of AGENCIES)
    add({ event: 'certificate.issued', sender: id, agencyType: type });
  cases.forEach((c, i) => {
    caseNo = i;
    const [requestId, consentId] = [`r${i}`, `c${i}`];
    add({
      event: 'consent.requested',
      requestId,
      purpose: c.purpose,
      senders: [c.sender],
      recipients: [c.recipient],
    });
    if (c.outcome === 'granted') add({ event: 'consent.granted', requestId, consentId });
    if (c.outcome === 'declined') add({ event: 'consent.declined', requestId });
    if (c.outcome === 'expired') add({ event: 'request.expired', requestId });
    const flow = { sender: c.sender, recipient: c.recipient, purpose: c.purpose };
    c.sends.forEach((state, j) => {
      const exchangeId = `e${i}.${j}`;
      add({ event: 'exchange.accepted', exchangeId, ...flow });
      if (state === 'delivered' || state === 'acknowledged')
        add({ event: 'exchange.delivered', exchangeId });
      if (state === 'acknowledged') add({ event: 'exchange.acknowledged', exchangeId });
      if (state === 'withheld') add({ event: 'exchange.withheld', exchangeId, outcome: 'refused' });
    });
    for (const reason of c.refusals)
      add({ event: 'exchange.refused', outcome: 'refused', reasons: [reason], ...flow });
    if (c.outcome === 'granted' && c.revoked) add({ event: 'consent.revoked', consentId });
  });
  return entries;
}

/** The true count of every cell and total the report publishes, keyed as {@link cellsOf} keys. */
function truthOf(cases: readonly Case[]): Map<string, number> {
  const truth = new Map<string, number>();
  const bump = (table: string, row: readonly string[], column: string) => {
    for (const key of [`${table}|${row.join('>')}|${column}`, `${table}|total|${column}`])
      truth.set(key, (truth.get(key) ?? 0) + 1);
  };
  const typeOf = (id: string) => AGENCIES.find(([a]) => a === id)?.[1] ?? '';
  for (const c of cases) {
    for (const [level, row] of [
      ['agency', [c.sender, c.recipient, c.purpose]],
      ['office-type', [typeOf(c.sender), typeOf(c.recipient), c.purpose]],
    ] as const) {
      bump(`consents-by-${level}`, row, 'requested');
      if (c.outcome !== 'open')
        bump(`consents-by-${level}`, row, c.outcome === 'expired' ? 'expiredUndecided' : c.outcome);
      if (c.outcome === 'granted' && c.revoked) bump(`consents-by-${level}`, row, 'revoked');
      for (const state of c.sends) {
        bump(`exchanges-by-${level}`, row, 'accepted');
        if (state === 'delivered' || state === 'acknowledged')
          bump(`exchanges-by-${level}`, row, 'delivered');
        if (state === 'acknowledged' || state === 'withheld')
          bump(`exchanges-by-${level}`, row, state);
      }
      for (const reason of c.refusals) {
        bump(`refusals-by-${level}`, row, reason);
        bump(`refusals-by-${level}`, row, 'total');
      }
    }
  }
  return truth;
}

/** What the report publishes, cell by cell, under the same keys. */
function cellsOf(report: MonitoringReport): Map<string, number | null> {
  const cells = new Map<string, number | null>();
  for (const table of report.tables) {
    for (const [name, row] of [
      ...table.rows.map((r) => [rowName(table, r.key), r] as const),
      ['total', table.total] as const,
    ]) {
      table.columns.forEach((column, i) =>
        cells.set(`${table.id}|${name}|${column}`, row.values[i] ?? null),
      );
      if (row.total !== undefined) cells.set(`${table.id}|${name}|total`, row.total);
    }
  }
  return cells;
}

const rowName = (table: MonitoringTable, key: MonitoringTable['rows'][number]['key']) =>
  table.rowKeys.map((k) => key[k] ?? '').join('>');

/** What an outsider knows of how the published counts add up: every table's sums and links. */
function outsidersSystem(report: MonitoringReport, truth: Map<string, number>): CountSystem {
  const equations: Equation[] = [];
  const typeOf = (id: string) => AGENCIES.find(([a]) => a === id)?.[1] ?? '';
  for (const table of report.tables) {
    const rows = table.rows.map((r) => rowName(table, r.key));
    const columns =
      table.rows[0]?.total === undefined ? table.columns : [...table.columns, 'total'];
    for (const column of columns)
      equations.push({
        total: `${table.id}|total|${column}`,
        parts: rows.map((r) => `${table.id}|${r}|${column}`),
      });
    if (columns.includes('total')) {
      for (const r of [...rows, 'total'])
        equations.push({
          total: `${table.id}|${r}|total`,
          parts: table.columns.map((c) => `${table.id}|${r}|${c}`),
        });
    }
    if (!table.id.endsWith('-by-agency')) continue;
    const types = table.id.replace('-by-agency', '-by-office-type');
    const byType = new Map<string, string[]>();
    for (const r of rows) {
      const [s = '', t = '', p = ''] = r.split('>');
      const typeRow = [typeOf(s), typeOf(t), p].join('>');
      byType.set(typeRow, [...(byType.get(typeRow) ?? []), r]);
    }
    for (const [typeRow, agencyRows] of byType)
      for (const column of columns)
        equations.push({
          total: `${types}|${typeRow}|${column}`,
          parts: agencyRows.map((a) => `${table.id}|${a}|${column}`),
        });
  }
  const values = new Map<string, number>();
  for (const { total, parts } of equations)
    for (const id of [total, ...parts]) values.set(id, truth.get(id) ?? 0);
  return { values, equations };
}

describe('a published report, from random audit histories', () => {
  it('shows true counts, withholds 1 and 2, and leaves no withheld count computable', () => {
    fc.assert(
      fc.property(fc.array(caseArb, { minLength: 1, maxLength: 14 }), (cases) => {
        const tally = new MonitoringTally();
        for (const entry of historyOf(cases)) tally.add(entry);
        const head = { treeSize: tally.size, rootHash: '', timestamp: '', jws: '' };
        const report = computeReport({
          tally,
          tenant: 't',
          period: parsePeriod('2026-11'),
          rule: { kind: 'suppress', threshold: 3 },
          ruleText: 'suppress:3',
          treeHead: head,
        });
        const truth = truthOf(cases);
        const published = cellsOf(report);
        for (const [id, value] of published) {
          const real = truth.get(id) ?? 0;
          if (value !== null) expect(value, id).toBe(real);
          if (real === 1 || real === 2) expect(value, id).toBeNull();
        }
        for (const [id, real] of truth) if (real > 0) expect(published.has(id), id).toBe(true);
        expect(disclosed(outsidersSystem(report, truth), published)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('protects a quarter around its months as published, so that all four together hide every withheld count', () => {
    const monthly = fc.array(fc.tuple(fc.integer({ min: 9, max: 11 }), caseArb), {
      minLength: 1,
      maxLength: 12,
    });
    fc.assert(
      fc.property(monthly, (drawn) => {
        const sorted = [...drawn].sort((a, b) => a[0] - b[0]);
        const cases = sorted.map(([, c]) => c);
        const tally = new MonitoringTally();
        for (const entry of historyOf(cases, (i) => sorted[i]?.[0] ?? 10)) tally.add(entry);
        const report = (key: string) =>
          computeReport({
            tally,
            tenant: 't',
            period: parsePeriod(key),
            rule: { kind: 'suppress', threshold: 3 },
            ruleText: 'suppress:3',
            treeHead: { treeSize: tally.size, rootHash: '', timestamp: '', jws: '' },
          });
        const periods = ['2026-10', '2026-11', '2026-12', '2026-Q4'] as const;
        const reports = periods.map(report);
        const truths = periods.map((_, i) =>
          truthOf(i === 3 ? cases : sorted.filter(([m]) => m === 9 + i).map(([, c]) => c)),
        );
        const values = new Map<string, number>();
        const equations: Equation[] = [];
        const published = new Map<string, number | null>();
        reports.forEach((r, i) => {
          const scope = (id: string) => `${periods[i] ?? ''}|${id}`;
          const own = outsidersSystem(r, truths[i] ?? new Map<string, number>());
          for (const [id, v] of own.values) values.set(scope(id), v);
          for (const e of own.equations)
            equations.push({ total: scope(e.total), parts: e.parts.map(scope) });
          for (const [id, v] of cellsOf(r)) {
            published.set(scope(id), v);
            if (v !== null) expect(v, scope(id)).toBe(truths[i]?.get(id) ?? 0);
          }
        });
        // The quarter's cells are the sums of the months' (a row or reason a month lacks is 0 there).
        for (const id of cellsOf(reports[3] ?? report('2026-Q4')).keys()) {
          const parts = periods
            .slice(0, 3)
            .map((m) => `${m}|${id}`)
            .filter((m) => values.has(m));
          if (parts.length > 0) equations.push({ total: `2026-Q4|${id}`, parts });
        }
        expect(disclosed({ values, equations }, published)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});
