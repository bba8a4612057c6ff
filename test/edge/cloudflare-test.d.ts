// What the tests inside workerd use of the Workers pool's modules, typed against the adapter's
// own structural D1 type rather than @cloudflare/workers-types, which the project does not load.
declare module 'cloudflare:test' {
  // An ambient module may not import a relative path; a type query may.
  // eslint-disable-next-line @typescript-eslint/consistent-type-imports
  type D1Database = import('../../storage/d1/d1.ts').D1Database;

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
