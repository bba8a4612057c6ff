/**
 * What becomes of an exchange, as the gateway's answers and its withholding show it. `delivered`
 * is a message's first fetch; `fetched_again` each later one (a recipient retrying after a lost
 * answer), so delivered counts messages, not requests.
 */
export type ExchangeOutcome =
  'accepted' | 'refused' | 'delivered' | 'fetched_again' | 'acknowledged' | 'withheld';

/** One answered request: the route pattern (never the raw path), method, status and time. */
export interface RequestObservation {
  /** The pattern of the route that answered, e.g. `/v1/mailbox/:id`. */
  readonly route: string;
  readonly method: string;
  readonly status: number;
  readonly seconds: number;
}

/** Counts read from storage when scraped: tenant ids and agency types only, nothing personal. */
export interface StorageGauges {
  readonly auditEntries: readonly { readonly tenantId: string; readonly entries: number }[];
  readonly waitingMessages: readonly {
    readonly tenantId: string;
    readonly agencyType: string;
    readonly messages: number;
  }[];
}

/**
 * The metrics port. The app records into it and renders it on `GET /metrics`; the Node entry
 * implements it with prom-client (node-prometheus.ts), which does not run on workerd, so the
 * Workers entry passes none and `/metrics` is not there.
 */
export interface GatewayMetrics {
  /** The bearer token a scraper must present (at least 32 characters). */
  readonly token: string;
  request(observation: RequestObservation): void;
  /** `code` is a stable error code for refusals; `count` defaults to 1. */
  exchange(outcome: ExchangeOutcome, options?: { code?: string; count?: number }): void;
  /** The text exposition, with the storage gauges just read. */
  render(gauges: StorageGauges): Promise<{ contentType: string; body: string }>;
}
