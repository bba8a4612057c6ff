import type { AuditEntry } from '../audit/index.ts';
import { computeReport, MonitoringTally, parsePeriod } from '../monitoring/index.ts';

const TYPES = ['immigration_office', 'jobcenter', 'social_office'] as const;
const PURPOSES = [
  'labour_market_integration',
  'benefit_eligibility',
  'residence_procedure',
  'language_course_allocation',
  'case_management',
];
const REASONS = ['consent_missing', 'policy_denied', 'fields_not_covered', 'signature_invalid'];

/**
 * A large municipality's year as its log would hold it: four offices of each type, consent
 * requests between every pair of them for every purpose, decisions, sends, fetches and
 * refusals, `entries` in all, spread evenly over 2026.
 */
function yearOfLog(entries: number): AuditEntry[] {
  const agencies = TYPES.flatMap((type) =>
    [1, 2, 3, 4].map((n) => [`${type}-${n}`, type] as const),
  );
  const log: AuditEntry[] = [];
  const start = Date.parse('2026-01-01T06:00:00Z');
  const step = (365 * 86_400_000) / entries;
  const add = (fields: Partial<AuditEntry> & Pick<AuditEntry, 'event'>) => {
    const time = new Date(start + log.length * step).toISOString();
    log.push({ seq: log.length, tenant: 'bench', time, actor: 'x', outcome: 'ok', ...fields });
  };
  for (const [id, agencyType] of agencies)
    add({ event: 'certificate.issued', sender: id, agencyType });
  for (let i = 0; log.length < entries; i++) {
    const [sender] = agencies[i % agencies.length] ?? ['', ''];
    const [recipient] = agencies[(i * 7 + 3) % agencies.length] ?? ['', ''];
    const purpose = PURPOSES[i % PURPOSES.length] ?? '';
    const requestId = `r${i}`;
    add({
      event: 'consent.requested',
      requestId,
      purpose,
      senders: [sender],
      recipients: [recipient],
    });
    if (i % 9 === 0) add({ event: 'consent.declined', requestId });
    else if (i % 13 === 0) add({ event: 'request.expired', requestId });
    else add({ event: 'consent.granted', requestId, consentId: `c${i}` });
    const exchangeId = `e${i}`;
    add({ event: 'exchange.accepted', exchangeId, sender, recipient, purpose });
    add({ event: 'exchange.delivered', exchangeId });
    if (i % 5 !== 0) add({ event: 'exchange.acknowledged', exchangeId });
    if (i % 4 === 0)
      add({
        event: 'exchange.refused',
        outcome: 'refused',
        sender,
        recipient,
        purpose,
        reasons: [REASONS[i % REASONS.length] ?? ''],
      });
  }
  return log.slice(0, entries);
}

/**
 * What monitoring costs a large municipality: folding a year of its log (entries a second), and
 * one report of a month and of the year, tables protected (milliseconds on the event loop).
 */
export function measureMonitoring(entries: number): {
  entries: number;
  foldPerSec: number;
  reportMonthMs: number;
  reportYearMs: number;
  cells: number;
} {
  const log = yearOfLog(entries);
  const tally = new MonitoringTally();
  const folding = performance.now();
  for (const entry of log) tally.add(entry);
  const foldMs = performance.now() - folding;
  const head = { treeSize: tally.size, rootHash: '', timestamp: '', jws: '' };
  const report = (key: string) => {
    const began = performance.now();
    const made = computeReport({
      tally,
      tenant: 'bench',
      period: parsePeriod(key),
      rule: { kind: 'suppress', threshold: 3 },
      ruleText: 'suppress:3',
      treeHead: head,
    });
    return { ms: performance.now() - began, made };
  };
  const month = report('2026-06');
  const year = report('2026');
  const cells = year.made.tables.reduce((n, t) => n + (t.rows.length + 1) * t.columns.length, 0);
  return {
    entries,
    foldPerSec: entries / (foldMs / 1000),
    reportMonthMs: month.ms,
    reportYearMs: year.ms,
    cells,
  };
}
