import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type GatewayProcess } from './support/process.ts';
import { tempDir } from './support/temp.ts';

/**
 * The sign-in throttle in the real Node process: keyed on the socket address, or, behind a proxy
 * the operator names in GATEWAY_TRUSTED_PROXIES, on the client address the proxy reports.
 */
const dir = tempDir();
let gw: GatewayProcess;

beforeAll(async () => {
  gw = await startGateway({ GATEWAY_DATA_DIR: dir.path, GATEWAY_TRUSTED_PROXIES: '127.0.0.1' });
}, 60_000);
afterAll(async () => {
  await gw.stop();
  dir.remove();
});

const signIn = (forwardedFor: string) =>
  fetch(`${gw.baseUrl}/v1/portal/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': forwardedFor },
    body: JSON.stringify({ code: 'AAAA-BBBB-CCCC', secondFactor: '1990-01-31' }),
  });

describe('the sign-in throttle behind a trusted proxy', () => {
  it('limits each client the proxy reports, not everyone behind the proxy', async () => {
    for (let i = 0; i < 10; i++) expect((await signIn('198.51.100.7')).status).toBe(401);
    const limited = await signIn('198.51.100.7');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0);
    // Another person behind the same proxy is not locked out by the first one's failures.
    expect((await signIn('203.0.113.9')).status).toBe(401);
    // A client cannot escape by writing its own X-Forwarded-For: the proxy appends the real one.
    expect((await signIn('203.0.113.50, 198.51.100.7')).status).toBe(429);
  });
});
