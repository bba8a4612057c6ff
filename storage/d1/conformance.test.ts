import { env } from 'cloudflare:test';
import { emptyD1 } from '../../test/edge/d1-reset.ts';
import { describeStorageConformance } from '../conformance/index.ts';
import { openD1Storage } from './storage.ts';

/*
 * The storage contract against D1 inside workerd (the "workers" vitest project): Miniflare's
 * local D1, the same SQLite engine and binding API as on Cloudflare. The file's workerd starts
 * with the migrations applied (test/edge/setup.ts); each test empties the tables.
 */
describeStorageConformance('d1', async () => {
  await emptyD1(env.DB);
  // A second store on the same binding, as a second isolate has: no sequencer between them, so
  // their appends meet only at the head guard in each batch.
  return {
    storage: openD1Storage(env.DB),
    other: openD1Storage(env.DB),
    close: () => Promise.resolve(),
  };
});
