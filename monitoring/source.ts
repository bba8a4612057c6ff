import { currentHead, toBase64, type AuditStore } from '../audit/index.ts';
import { GatewayError } from '../core/index.ts';
import { CLOSING_MARGIN_MS, isClosed, parsePeriod, periodEnd, type Period } from './periods.ts';
import type { MonitoringReport, RuleStatement, SignedTreeHead } from './report.ts';
import { describeRule, type SuppressionRule } from './suppression.ts';
import { childrenOf, protectPeriod, type Protected } from './protection.ts';
import { computeReport } from './tables.ts';
import { MonitoringTally } from './tally.ts';

/** What the server's monitoring needs: the log, a signer for tree heads, the rule and a clock. */
export interface MonitoringDeps {
  readonly store: AuditStore;
  readonly signTreeHead: (
    tenantId: string,
    head: { treeSize: number; rootHash: string; timestamp: string },
  ) => Promise<string>;
  readonly rule: SuppressionRule;
  /** The rule as configured (`suppress:3`, `round:5`), stated on every table. */
  readonly ruleText: string;
  readonly now: () => Date;
}

const PAGE = 1000;
/** How long a computed report is served again: figures at most this old, under their own head. */
export const REPORT_REUSE_MS = 60_000;
/** Reports kept for reuse across tenants and periods; the oldest go first. */
const MAX_KEPT_REPORTS = 1000;

/**
 * Each tenant's log folded once and then only forward, published by ended periods only: a report reads the head, folds the entries
 * added since the last report, and computes from the figures at exactly that head, which it names
 * signed. Folds of one tenant run one after another, so no entry is counted twice.
 */
export class MonitoringSource {
  readonly #tallies = new Map<string, MonitoringTally>();
  readonly #turns = new Map<string, Promise<unknown>>();
  readonly #recent = new Map<string, { readonly at: number; readonly report: MonitoringReport }>();
  /** Per tenant, what ended periods' protection decided: it never changes, and a year reuses it. */
  readonly #protected = new Map<string, Map<string, Protected>>();

  constructor(private readonly deps: MonitoringDeps) {}

  /** The rule every table of this gateway states. */
  get suppression(): RuleStatement {
    const { rule, ruleText } = this.deps;
    return { rule: ruleText, de: describeRule(rule, 'de'), en: describeRule(rule, 'en') };
  }

  /**
   * The tenant's report for a period, at the log's current head, or one computed at most
   * {@link REPORT_REUSE_MS} ago: protecting a large municipality's tables takes a fraction of a
   * second on the event loop, and a page shows a dozen months at once. A reused report still names
   * the head it was computed from, so it is exactly as verifiable.
   */
  report(tenantId: string, period: Period): Promise<MonitoringReport> {
    if (!isClosed(period, this.deps.now())) {
      const from = new Date(periodEnd(period).getTime() + CLOSING_MARGIN_MS).toISOString();
      return Promise.reject(
        new GatewayError('conflict', {
          detail: `${period.key} has not ended; its figures are published from ${from} on`,
          reasons: [{ code: 'period_open', message: `figures of ${period.key} from ${from}` }],
        }),
      );
    }
    const key = `${tenantId}\n${period.key}`;
    const kept = this.#recent.get(key);
    const now = this.deps.now().getTime();
    if (kept !== undefined && now - kept.at < REPORT_REUSE_MS) return Promise.resolve(kept.report);
    return this.#inTurn(tenantId, async () => {
      const { tally, head } = await this.#foldToHead(tenantId);
      const memo = this.#memoOf(tenantId);
      await protectInSteps(tally, period, this.deps.rule, memo);
      const report = computeReport({
        tally,
        tenant: tenantId,
        period,
        rule: this.deps.rule,
        ruleText: this.deps.ruleText,
        treeHead: head,
        memo,
      });
      this.#recent.delete(key);
      this.#recent.set(key, { at: now, report });
      for (const old of this.#recent.keys()) {
        if (this.#recent.size <= MAX_KEPT_REPORTS) break;
        this.#recent.delete(old);
      }
      return report;
    });
  }

  /** The ended months that hold any figure, newest first. */
  months(tenantId: string): Promise<string[]> {
    return this.#inTurn(tenantId, async () => {
      const { tally } = await this.#foldToHead(tenantId);
      const now = this.deps.now();
      return [...tally.months.keys()]
        .filter((month) => isClosed(parsePeriod(month), now))
        .sort()
        .reverse();
    });
  }

  async #foldToHead(tenantId: string): Promise<{ tally: MonitoringTally; head: SignedTreeHead }> {
    const { store } = this.deps;
    const current = await currentHead(store, tenantId);
    let tally = this.#tallies.get(tenantId);
    if (tally === undefined || tally.size > current.size) {
      tally = new MonitoringTally();
      this.#protected.delete(tenantId);
    }
    // Dropped first: a fold that fails half-way must not leave figures that stand for no head.
    this.#tallies.delete(tenantId);
    while (tally.size < current.size) {
      const page = await store.entries(tenantId, { afterSeq: tally.size - 1, limit: PAGE });
      for (const entry of page) if (entry.seq < current.size) tally.add(entry);
      if (page.length < PAGE) break;
    }
    if (tally.size !== current.size) {
      throw new GatewayError('internal_error', {
        detail: 'the audit log has fewer entries than its head',
      });
    }
    this.#tallies.set(tenantId, tally);
    const unsigned = {
      treeSize: tally.size,
      rootHash: toBase64(current.root),
      timestamp: this.deps.now().toISOString(),
    };
    return { tally, head: { ...unsigned, jws: await this.deps.signTreeHead(tenantId, unsigned) } };
  }

  #memoOf(tenantId: string): Map<string, Protected> {
    let memo = this.#protected.get(tenantId);
    if (memo === undefined) this.#protected.set(tenantId, (memo = new Map<string, Protected>()));
    return memo;
  }

  #inTurn<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
    const before = this.#turns.get(tenantId) ?? Promise.resolve();
    const result = before.then(work, work);
    this.#turns.set(
      tenantId,
      result.catch(() => undefined),
    );
    return result;
  }
}

/**
 * Protects the periods within `period` first, one macrotask each, into `memo`: a year protects
 * four quarters and twelve months on the way, most of a second for a large municipality, which
 * would otherwise hold the event loop, and every exchange waiting on it, in one piece.
 */
async function protectInSteps(
  tally: MonitoringTally,
  period: Period,
  rule: SuppressionRule,
  memo: Map<string, Protected>,
): Promise<void> {
  const typeOf = (id: string) => tally.officeType(id);
  for (const child of childrenOf(period)) {
    if (memo.has(child.key)) continue;
    await protectInSteps(tally, child, rule, memo);
    await new Promise((resolve) => setTimeout(resolve, 0));
    protectPeriod(tally, child, rule, typeOf, memo);
  }
}
