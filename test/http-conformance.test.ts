// @peculiar/x509 needs the Reflect metadata API before anything of it runs.
import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { importMasterKey, parseMasterKey } from '../certs/index.ts';
import { openSqliteStorage } from '../storage/sqlite/index.ts';
import { describeHttpConformance, seedHttpConformance } from './http-conformance/index.ts';
import { randomMasterKeyHex } from './support/pki.ts';
import { freePort } from './support/process.ts';
import { startTrackedGateway, stopWithin } from './support/stalled-process.ts';
import { tempDir } from './support/temp.ts';
import { nodeImportsOf } from './support/workerd-bundle.ts';

/** Small enough that the oversize test sends little; the contract's 1 MiB is configurable. */
const BODY_LIMIT = 64 * 1024;

/** Seeds the suite's world into the SQLite file of `dataDir`, which is closed again after. */
async function seededDataDir(dataDir: string, masterKeyHex: string) {
  const storage = openSqliteStorage(dataDir);
  try {
    const masterKey = await importMasterKey(parseMasterKey(masterKeyHex));
    return await seedHttpConformance({ storage, masterKey });
  } finally {
    storage.close();
  }
}

/**
 * The HTTP conformance suite against the real Node gateway (`gateway/node.ts`, what `npm start`
 * runs) on SQLite: the world is seeded in this process into the data dir, then one gateway process
 * serves it on 127.0.0.1 for the whole suite.
 */
describeHttpConformance('node', async () => {
  const dir = tempDir();
  try {
    const masterKeyHex = randomMasterKeyHex();
    const world = await seededDataDir(dir.path, masterKeyHex);
    const port = await freePort();
    const audience = `http://127.0.0.1:${port}`;
    const gw = await startTrackedGateway({
      PORT: String(port),
      GATEWAY_DATA_DIR: dir.path,
      GATEWAY_MASTER_KEY: masterKeyHex,
      GATEWAY_PUBLIC_URL: audience,
      GATEWAY_BODY_LIMIT: String(BODY_LIMIT),
    });
    return {
      fetch: (path, init) => fetch(`${gw.baseUrl}${path}`, init),
      audience,
      bodyLimit: BODY_LIMIT,
      world,
      close: async () => {
        await stopWithin(gw);
        dir.remove();
      },
    };
  } catch (error) {
    dir.remove();
    throw error;
  }
});

describe('the HTTP conformance suite', () => {
  it('bundles for workerd without any Node built-in, so it runs there unchanged', async () => {
    // vitest is the workers pool's own inside workerd.
    const workerd = { external: ['vitest'] };
    expect(await nodeImportsOf('test/http-conformance/index.ts', workerd)).toEqual([]);
    // The check itself: a helper that does use Node is caught.
    expect(await nodeImportsOf('test/support/temp.ts', workerd)).not.toEqual([]);
  });
});
