import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, loadPolicySet } from '../../policies/index.ts';
import { testGateway, type TestGateway } from '../../test/support/app.ts';

let gw: TestGateway;
beforeEach(async () => {
  gw = await testGateway();
});
afterEach(() => {
  gw.close();
});

describe('GET /v1/policy', () => {
  it('serves the active set with its version and hash, without authentication', async () => {
    const res = await gw.app.request('/v1/policy');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      version: string;
      hash: string;
      rules: { id: string; reason: string }[];
    };
    const expected = await loadPolicySet(DEFAULT_POLICY);
    expect(body.version).toBe(expected.version);
    expect(body.hash).toBe(expected.hash);
    expect(body.rules.map((r) => r.id)).toEqual(expected.rules.map((r) => r.id));
    expect(body.rules.every((r) => r.reason.length > 0)).toBe(true);
  });
});
