// What the tests inside workerd use of the Workers pool's modules, typed against the adapter's
// own structural D1 type rather than @cloudflare/workers-types, which the project does not load.
declare module 'cloudflare:test' {
  import type { D1Database } from '../../storage/d1/d1.ts';

  interface D1Migration {
    name: string;
    queries: string[];
  }

  /** The bindings of test/edge/wrangler.toml, and the migrations vitest.config.ts reads. */
  export const env: { readonly DB: D1Database; readonly TEST_MIGRATIONS: D1Migration[] };

  export function applyD1Migrations(
    db: D1Database,
    migrations: D1Migration[],
    migrationsTableName?: string,
  ): Promise<void>;
}
