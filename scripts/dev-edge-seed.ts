/**
 * `npm run dev:edge`'s seeding step: the demo tenant and agencies in local D1, as `npm start`
 * makes them on an empty data dir, with the agencies' keys in `<data dir>/demo/`. Reaches the
 * D1 database `wrangler dev --persist-to <data dir>/edge` uses, through wrangler's platform proxy.
 */
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { getPlatformProxy } from 'wrangler';
import { importMasterKey, parseMasterKey } from '../certs/index.ts';
import { demoKeysDir, seedDemoTenant } from '../gateway/node-demo.ts';
import type { D1Database } from '../storage/d1/d1.ts';
import { openD1Storage } from '../storage/d1/storage.ts';

const dataDir = resolve(process.env['GATEWAY_DATA_DIR'] ?? 'data');
const masterKey = await importMasterKey(parseMasterKey(process.env['GATEWAY_MASTER_KEY'] ?? ''));
const proxy = await getPlatformProxy<{ DB: D1Database }>({
  persist: { path: join(dataDir, 'edge', 'v3') },
});
try {
  const storage = openD1Storage(proxy.env.DB);
  if ((await storage.tenants.list()).length === 0) {
    if (existsSync(join(demoKeysDir(dataDir), 'jc-demo.key'))) {
      throw new Error(
        `${demoKeysDir(dataDir)} holds the demo keys of another gateway (npm start); ` +
          'move them away or set GATEWAY_DATA_DIR to another folder',
      );
    }
    const dir = await seedDemoTenant(storage, masterKey, dataDir);
    process.stdout.write(`dev:edge: demo tenant created; demo agencies' keys in ${dir}\n`);
  }
} catch (error) {
  process.stderr.write(`dev:edge: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await proxy.dispose();
}
