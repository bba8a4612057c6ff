import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp, type GatewayApp } from '../gateway/app.ts';
import { createLogger } from '../gateway/logging.ts';
import type { GatewayMetrics } from '../gateway/metrics/index.ts';
import { prometheusMetrics } from '../gateway/metrics/node-prometheus.ts';
import { nodeDocsAssets } from '../gateway/node-docs-assets.ts';
import { DEFAULT_POLICY, loadPolicySet } from '../policies/index.ts';
import { askConsent, sendNotice } from './support/flows.ts';
import { personGrants } from './support/person.ts';
import { PROCESS_TEST_TIMEOUT_MS, startGateway } from './support/process.ts';
import type { TestPrincipal } from './support/pki.ts';
import { tempDir } from './support/temp.ts';
import { AUD, koelnWorld, type KoelnWorld } from './support/world.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

const TOKEN = 'metrics-token-0123456789abcdef-XYZ';
const CANARY_SUBJECT = 'CANARY-SUBJECT-7f3a91';
const CANARY_AGENCY = 'canary-agency-5c2e08';
const CANARY_ID = 'CANARY-MESSAGE-ID-b61d44';
const METRIC_NAMES = [
  'gateway_http_requests_total',
  'gateway_http_request_duration_seconds_bucket',
  'gateway_exchanges_total',
  'gateway_audit_log_entries',
  'gateway_mailbox_waiting_messages',
  'gateway_job_lag_seconds',
  'gateway_job_runs_total',
];

let world: KoelnWorld;

/** The real app over the world's storage, as testGateway builds it, with or without metrics. */
async function appWith(metrics?: GatewayMetrics): Promise<GatewayApp> {
  const { gw } = world;
  return createApp({
    config: { publicUrl: AUD, bodyLimit: 1024 * 1024, version: '0.0.0-test' },
    clock: gw.clock,
    logger: createLogger({ level: 'info', destination: gw.logs }),
    storage: gw.storage,
    keys: { masterKey: gw.masterKey },
    docsAssets: nodeDocsAssets(),
    policy: await loadPolicySet(DEFAULT_POLICY),
    ...(metrics === undefined ? {} : { metrics }),
  });
}

/** A request to `app` as principal `p`, as world.as sends it to the world's own app. */
async function as(app: GatewayApp, p: TestPrincipal, path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${await world.assertion(p)}`);
  if (init.body !== undefined) headers.set('Content-Type', 'application/json');
  return app.request(path, { ...init, headers });
}

/** A scrape with `token`, or with no Authorization header when it is null. */
const scrape = (app: GatewayApp, token: string | null = TOKEN) =>
  app.request('/metrics', token === null ? {} : { headers: { Authorization: `Bearer ${token}` } });

beforeEach(async () => {
  world = await koelnWorld({ dpo: false });
});
afterEach(() => {
  world.close();
});

describe('GET /metrics', () => {
  it('is an unknown path (404) when metrics are not configured', async () => {
    const app = await appWith();
    const res = await scrape(app);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'not_found' });
    const spec = (await (await app.request('/openapi.json')).json()) as { paths: object };
    expect(Object.keys(spec.paths)).not.toContain('/metrics');
  });

  it.each([
    ['without a token', null],
    ['with a wrong token', `${TOKEN.slice(0, -1)}Q`],
    ['with a prefix of the token', TOKEN.slice(0, 32)],
  ])('refuses a scrape %s with 401 problem+json', async (_, token) => {
    const app = await appWith(prometheusMetrics({ token: TOKEN }));
    const res = await scrape(app, token);
    expect(res.status).toBe(401);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    expect(res.headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
    expect(await res.json()).toMatchObject({ code: 'unauthenticated' });
  });

  it('answers the metrics in Prometheus text format after requests and an exchange', async () => {
    const app = await appWith(prometheusMetrics({ token: TOKEN }));
    const subject = { scheme: 'local', value: CANARY_SUBJECT };
    const request = await askConsentOn(app, subject);
    await personGrants(app, request);
    const sent = await sendNoticeOn(app, subject);
    expect(sent.status).toBe(201);
    const { id } = (await sent.json()) as { id: string };
    expect((await as(app, world.jc, `/v1/mailbox/${id}`)).status).toBe(200);
    // A retry after a lost answer hands the message out again; it is still one delivery.
    expect((await as(app, world.jc, `/v1/mailbox/${id}`)).status).toBe(200);
    expect((await as(app, world.jc, `/v1/mailbox/${id}/ack`, { method: 'POST' })).status).toBe(204);
    // Canaries: an id in the path, an agency and a subject in a refused exchange's body.
    expect((await as(app, world.jc, `/v1/mailbox/${CANARY_ID}`)).status).toBe(404);
    const refused = await as(app, world.abh, '/v1/exchanges', {
      method: 'POST',
      body: JSON.stringify({ recipient: CANARY_AGENCY, subject, purpose: CANARY_AGENCY }),
    });
    expect(refused.status).toBe(422);
    expect((await app.request(`/no/such/${CANARY_ID}`)).status).toBe(404);

    const res = await scrape(app);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    for (const name of METRIC_NAMES) expect(text).toContain(name);
    expect(text).toMatch(
      /gateway_http_requests_total\{route="\/v1\/mailbox\/:id",method="GET",status="200"\} 2/,
    );
    expect(text).toContain('gateway_exchanges_total{outcome="accepted",code=""} 1');
    expect(text).toContain('gateway_exchanges_total{outcome="refused",code="validation_failed"} 1');
    expect(text).toContain('gateway_exchanges_total{outcome="delivered",code=""} 1');
    expect(text).toContain('gateway_exchanges_total{outcome="fetched_again",code=""} 1');
    expect(text).toContain('gateway_exchanges_total{outcome="acknowledged",code=""} 1');
    expect(text).toMatch(/gateway_audit_log_entries\{tenant="koeln"\} [1-9]/);
    expect(text).toContain(
      'gateway_mailbox_waiting_messages{tenant="koeln",agency_type="jobcenter"} 0',
    );
    expect(text).toMatch(/gateway_job_lag_seconds\{job="sweep"\} /);
    for (const canary of [
      CANARY_SUBJECT,
      CANARY_AGENCY,
      CANARY_ID,
      id,
      TOKEN,
      'jc-koeln',
      'abh-koeln',
    ]) {
      expect(text).not.toContain(canary);
    }
  });

  it('counts waiting messages per agency type and messages withheld on revocation', async () => {
    const app = await appWith(prometheusMetrics({ token: TOKEN }));
    const subject = { scheme: 'local', value: 'S-1' };
    const { cookie, consentId } = await personGrants(app, await askConsentOn(app, subject));
    expect((await sendNoticeOn(app, subject)).status).toBe(201);
    const waiting = await (await scrape(app)).text();
    expect(waiting).toContain(
      'gateway_mailbox_waiting_messages{tenant="koeln",agency_type="jobcenter"} 1',
    );
    const revoked = await app.request(`/v1/portal/consents/${consentId}/revoke`, {
      method: 'POST',
      headers: { Cookie: cookie },
    });
    expect(revoked.status, await revoked.clone().text()).toBe(200);
    const after = await (await scrape(app)).text();
    expect(after).toContain('gateway_exchanges_total{outcome="withheld",code=""} 1');
    expect(after).toContain(
      'gateway_mailbox_waiting_messages{tenant="koeln",agency_type="jobcenter"} 0',
    );
  });
});

/** askConsent and sendNotice of test/support/flows.ts, sent to `app` instead of the world's. */
function onApp(app: GatewayApp): KoelnWorld {
  // Not a spread: it would read the world's getters, which throw for offices it has not.
  const as_: KoelnWorld['as'] = (p, path, init) => as(app, p, path, init);
  return Object.create(world, { as: { value: as_ } }) as KoelnWorld;
}
function askConsentOn(app: GatewayApp, subject: { scheme: string; value: string }) {
  return askConsent(onApp(app), world.jc, subject);
}
function sendNoticeOn(app: GatewayApp, subject: { scheme: string; value: string }) {
  return sendNotice(onApp(app), world.abh, subject);
}

describe('GET /metrics on the Node entry', () => {
  it('serves the metrics to a scraper with the token, and 401 without', async () => {
    const dir = tempDir();
    const gateway = await startGateway({
      GATEWAY_DATA_DIR: dir.path,
      GATEWAY_METRICS_TOKEN: TOKEN,
    });
    try {
      expect((await fetch(`${gateway.baseUrl}/health`)).status).toBe(200);
      expect((await fetch(`${gateway.baseUrl}/metrics`)).status).toBe(401);
      const res = await fetch(`${gateway.baseUrl}/metrics`, {
        headers: { Authorization: `Bearer ${TOKEN}` },
      });
      expect(res.status).toBe(200);
      const text = await res.text();
      for (const name of METRIC_NAMES) expect(text).toContain(name);
      expect(text).toMatch(
        /gateway_http_requests_total\{route="\/health",method="GET",status="200"\} 1/,
      );
      expect(text).toMatch(/gateway_job_lag_seconds\{job="sweep"\} \d/);
    } finally {
      await gateway.stop();
      dir.remove();
    }
  });
});
