import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { testGateway, type TestGateway } from '../../test/support/app.ts';
import { createLogger } from '../logging.ts';
import { nodeDocsAssets } from '../node-docs-assets.ts';
import { DEFAULT_POLICY, loadPolicySet } from '../../policies/index.ts';

let gw: TestGateway | undefined;
afterEach(() => {
  gw?.close();
  gw = undefined;
});

/** The real app over real SQLite, whose storage flushes only when `durable` says so. */
async function appWith(durable: () => Promise<void>) {
  gw = await testGateway();
  return createApp({
    config: { publicUrl: 'http://localhost:8787', bodyLimit: 1024 * 1024, version: '0.0.0-test' },
    clock: gw.clock,
    logger: createLogger({ level: 'silent' }),
    storage: { ...gw.storage, durable },
    keys: { masterKey: gw.masterKey },
    docsAssets: nodeDocsAssets(),
    policy: await loadPolicySet(DEFAULT_POLICY),
  });
}

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('durable answers (group commit)', () => {
  it('sends no answer before the storage says what it committed is durable', async () => {
    let flushed: () => void = () => undefined;
    const flush = new Promise<void>((resolve) => (flushed = resolve));
    const app = await appWith(() => flush);
    let answered = false;
    const answer = Promise.resolve(app.request('/v1/policy')).then((res) => {
      answered = true;
      return res;
    });
    await turns(20);
    expect(answered).toBe(false);
    flushed();
    expect((await answer).status).toBe(200);
  });

  it('answers 503 storage_unavailable when the flush fails, never the success', async () => {
    const app = await appWith(() => Promise.reject(new Error('EIO')));
    const res = await app.request('/v1/policy');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ code: 'storage_unavailable' });
  });
});
