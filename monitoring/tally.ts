import type { AuditEntry } from '../audit/index.ts';
import { GatewayError } from '../core/index.ts';
import { monthOf } from './periods.ts';

/** What the steering group counts of consent requests, per office pair and purpose. */
export const CONSENT_MEASURES = [
  'requested',
  'granted',
  'declined',
  'expiredUndecided',
  'revoked',
] as const;
export type ConsentMeasure = (typeof CONSENT_MEASURES)[number];

/** What it counts of exchanges. */
export const EXCHANGE_MEASURES = ['accepted', 'delivered', 'acknowledged', 'withheld'] as const;
export type ExchangeMeasure = (typeof EXCHANGE_MEASURES)[number];

/** One office pair and purpose in one month: counts, and the durations whose medians are shown. */
export interface RowTally {
  readonly consent: Record<ConsentMeasure, number>;
  readonly exchange: Record<ExchangeMeasure, number>;
  /** Refused sends by reason code. */
  readonly refusals: Map<string, number>;
  /** Milliseconds from request to decision, for decisions made this month. */
  readonly decisionMs: number[];
  /** Milliseconds from acceptance to the recipient's first fetch, for fetches this month. */
  readonly fetchMs: number[];
}

/** A row's key: sender agency, recipient agency, purpose; '' where the log does not say. */
export type AgencyRow = readonly [sender: string, recipient: string, purpose: string];

interface OpenRequest {
  readonly at: number;
  readonly purpose: string;
  readonly pairs: readonly (readonly [string, string])[];
}

interface OpenExchange {
  readonly at: number;
  readonly row: AgencyRow;
  delivered: boolean;
}

/**
 * The monitoring figures folded from a tenant's audit log, entry by entry in sequence order.
 * Only metadata is read: events, times, agency ids, purposes and reason codes. Request, consent
 * and exchange ids are used to join an event to its request and are forgotten once nothing can
 * follow; subject references, categories and digests are never read. So the figures follow from
 * the log alone, and a DPO's CLI folding an export gets the same ones as the server.
 */
export class MonitoringTally {
  /** How many entries have been folded: the tree size the figures stand for. */
  size = 0;
  /** Agency id → office type, from the log's `certificate.issued` entries. */
  readonly agencyTypes = new Map<string, string>();
  /** Month (`2026-11`) → row key (JSON of an {@link AgencyRow}) → figures. */
  readonly months = new Map<string, Map<string, RowTally>>();
  readonly #requests = new Map<string, OpenRequest>();
  readonly #consents = new Map<string, OpenRequest>();
  readonly #exchanges = new Map<string, OpenExchange>();

  /** An agency's office type as the log registered it; '' for none named, `unknown` if unregistered. */
  officeType(agencyId: string): string {
    return agencyId === '' ? '' : (this.agencyTypes.get(agencyId) ?? 'unknown');
  }

  /**
   * Folds the next entry.
   *
   * @throws GatewayError `conflict` when the entry is not the next in sequence: a gap or a
   *   repeat would make the figures stand for no tree head.
   */
  add(entry: AuditEntry): void {
    if (entry.seq !== this.size) {
      throw new GatewayError('conflict', {
        detail: `monitoring expects entry ${this.size} next, got ${entry.seq}`,
      });
    }
    this.size++;
    const at = Date.parse(entry.time);
    const month = monthOf(entry.time);
    switch (entry.event) {
      case 'certificate.issued':
        if (entry.sender !== undefined && entry.agencyType !== undefined)
          this.agencyTypes.set(entry.sender, entry.agencyType);
        break;
      case 'consent.requested':
        this.#requested(entry, at, month);
        break;
      case 'consent.granted':
      case 'consent.declined':
      case 'request.expired':
        this.#decided(entry, at, month);
        break;
      case 'consent.revoked':
        this.#revoked(entry, month);
        break;
      case 'consent.expired':
        if (entry.consentId !== undefined) this.#consents.delete(entry.consentId);
        break;
      default:
        this.#exchange(entry, at, month);
    }
  }

  #requested(entry: AuditEntry, at: number, month: string): void {
    if (entry.requestId === undefined) return;
    const purpose = entry.purpose ?? '';
    const pairs = (entry.senders ?? [entry.actor]).flatMap((s) =>
      (entry.recipients ?? ['']).map((r) => [s, r] as const),
    );
    const request = { at, purpose, pairs };
    this.#requests.set(entry.requestId, request);
    for (const row of rowsOf(request)) this.#row(month, row).consent.requested++;
  }

  #decided(entry: AuditEntry, at: number, month: string): void {
    const request = entry.requestId === undefined ? undefined : this.#requests.get(entry.requestId);
    if (request === undefined || entry.requestId === undefined) return;
    this.#requests.delete(entry.requestId);
    const measure: ConsentMeasure =
      entry.event === 'consent.granted'
        ? 'granted'
        : entry.event === 'consent.declined'
          ? 'declined'
          : 'expiredUndecided';
    for (const row of rowsOf(request)) {
      const tally = this.#row(month, row);
      tally.consent[measure]++;
      if (measure !== 'expiredUndecided') tally.decisionMs.push(at - request.at);
    }
    if (measure === 'granted' && entry.consentId !== undefined)
      this.#consents.set(entry.consentId, request);
  }

  #revoked(entry: AuditEntry, month: string): void {
    const consent = entry.consentId === undefined ? undefined : this.#consents.get(entry.consentId);
    if (consent === undefined || entry.consentId === undefined) return;
    this.#consents.delete(entry.consentId);
    for (const row of rowsOf(consent)) this.#row(month, row).consent.revoked++;
  }

  #exchange(entry: AuditEntry, at: number, month: string): void {
    if (entry.event === 'exchange.refused') {
      const row: AgencyRow = [
        entry.sender ?? entry.actor,
        entry.recipient ?? '',
        entry.purpose ?? '',
      ];
      const refusals = this.#row(month, row).refusals;
      // One count per refused send: the code its sender got, or the one reason recorded alone.
      const reason = entry.code ?? entry.reasons?.[0] ?? 'unknown';
      refusals.set(reason, (refusals.get(reason) ?? 0) + 1);
      return;
    }
    const id = entry.exchangeId;
    if (id === undefined) return;
    if (entry.event === 'exchange.accepted') {
      const row: AgencyRow = [entry.sender ?? '', entry.recipient ?? '', entry.purpose ?? ''];
      this.#exchanges.set(id, { at, row, delivered: false });
      this.#row(month, row).exchange.accepted++;
      return;
    }
    const open = this.#exchanges.get(id);
    if (open === undefined) return;
    const tally = this.#row(month, open.row);
    if (entry.event === 'exchange.delivered' && !open.delivered) {
      open.delivered = true;
      tally.exchange.delivered++;
      tally.fetchMs.push(at - open.at);
    } else if (entry.event === 'exchange.acknowledged' || entry.event === 'exchange.withheld') {
      tally.exchange[entry.event === 'exchange.acknowledged' ? 'acknowledged' : 'withheld']++;
      this.#exchanges.delete(id);
    } else if (entry.event === 'exchange.purged') {
      this.#exchanges.delete(id);
    }
  }

  #row(month: string, row: AgencyRow): RowTally {
    let rows = this.months.get(month);
    if (rows === undefined) this.months.set(month, (rows = new Map<string, RowTally>()));
    const key = JSON.stringify(row);
    let tally = rows.get(key);
    if (tally === undefined) rows.set(key, (tally = emptyRow()));
    return tally;
  }
}

const rowsOf = (request: OpenRequest): AgencyRow[] =>
  request.pairs.map(([sender, recipient]) => [sender, recipient, request.purpose]);

export function emptyRow(): RowTally {
  return {
    consent: { requested: 0, granted: 0, declined: 0, expiredUndecided: 0, revoked: 0 },
    exchange: { accepted: 0, delivered: 0, acknowledged: 0, withheld: 0 },
    refusals: new Map(),
    decisionMs: [],
    fetchMs: [],
  };
}
