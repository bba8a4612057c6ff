import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { randomBytes } from 'node:crypto';
import { defineConfig } from 'vitest/config';

// The Workers pool runs wrangler's config reading in this process: no usage metrics, and no
// request to Cloudflare for the `cf` object (there is no network here, nor in CI).
process.env['WRANGLER_SEND_METRICS'] ??= 'false';
process.env['CLOUDFLARE_CF_FETCH_ENABLED'] ??= 'false';

/** Tests that run inside workerd (the edge runtime), each file in a workerd of its own. */
const edgeStorage = ['storage/d1/**/*.test.ts'];
const edgeGateway = ['test/edge/**/*.test.ts'];
const edge = [...edgeStorage, ...edgeGateway];

export default defineConfig({
  test: {
    // Two cores here and in CI: tests that start server processes or a browser must not starve.
    maxWorkers: 2,
    // The JSON report lets .ci/run print a plain "N passed, N failed" closing line; it covers
    // both projects.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['**/*.test.ts'],
          exclude: ['node_modules/**', 'data/**', ...edge],
          setupFiles: ['test/setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: './test/edge/d1.wrangler.toml' },
            // Read here in Node, applied inside workerd by test/edge/setup.ts.
            miniflare: { bindings: { TEST_MIGRATIONS: await readD1Migrations('migrations') } },
          })),
        ],
        test: {
          name: 'workers',
          include: edgeStorage,
          setupFiles: ['test/edge/setup.ts'],
        },
      },
      {
        // The real Worker (gateway/worker.ts, as SELF) with D1, the audit sequencer and the docs
        // assets. Loading it costs each file's workerd ~10 s on two cores, hence few files.
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: './test/edge/wrangler.toml' },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations('migrations'),
                // The gateway's secret, made afresh for each run: a test seeds with the same key
                // the worker unwraps with, read from `env`, and no key lives in the repository.
                GATEWAY_MASTER_KEY: randomBytes(32).toString('hex'),
              },
            },
          })),
        ],
        test: {
          name: 'workers-gateway',
          include: edgeGateway,
          setupFiles: ['test/edge/setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
