export { measureRequests } from './measure.ts';
export type { ExchangeOutcome, GatewayMetrics, RequestObservation, StorageGauges } from './port.ts';
export { registerMetricsRoute, type MetricsRouteDeps } from './route.ts';
export { storageGauges } from './storage-gauges.ts';
