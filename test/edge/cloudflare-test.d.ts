// What the tests inside workerd use of the Workers pool's modules, typed against the adapter's
// own structural types rather than @cloudflare/workers-types, which the project does not load.
declare module 'cloudflare:test' {
  // An ambient module may not import a relative path; a type query may.
  // eslint-disable-next-line @typescript-eslint/consistent-type-imports
  type D1Database = import('../../storage/d1/d1.ts').D1Database;
  // eslint-disable-next-line @typescript-eslint/consistent-type-imports
  type ExecutionContext = import('hono').ExecutionContext;
  // eslint-disable-next-line @typescript-eslint/consistent-type-imports
  type SequencerNamespace = import('../../gateway/worker-sequencer.ts').SequencerNamespace;
  // eslint-disable-next-line @typescript-eslint/consistent-type-imports
  type AssetsBinding = import('../../gateway/worker-docs-assets.ts').AssetsBinding;

  interface D1Migration {
    name: string;
    queries: string[];
  }

  /**
   * The bindings of test/edge/d1.wrangler.toml or test/edge/wrangler.toml, and what
   * vitest.config.ts adds: the migrations, and (workers-gateway only) the run's master key.
   */
  export const env: {
    readonly DB: D1Database;
    readonly TEST_MIGRATIONS: D1Migration[];
    readonly AUDIT_SEQUENCER: SequencerNamespace;
    readonly DOCS_ASSETS: AssetsBinding;
    readonly GATEWAY_MASTER_KEY: string;
    readonly GATEWAY_PUBLIC_URL: string;
    readonly GATEWAY_BODY_LIMIT: string;
  };

  /** The `main` Worker (gateway/worker.ts), running in the tests' own isolate. */
  export const SELF: {
    fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  };

  export function applyD1Migrations(
    db: D1Database,
    migrations: D1Migration[],
    migrationsTableName?: string,
  ): Promise<void>;

  /** An ExecutionContext for calling a handler directly; see {@link waitOnExecutionContext}. */
  export function createExecutionContext(): ExecutionContext;
  /** Settles every promise the handler handed to `ctx.waitUntil()`. */
  export function waitOnExecutionContext(ctx: ExecutionContext): Promise<void>;
  /** The first argument of a `scheduled()` handler, as a cron trigger passes it. */
  export function createScheduledController(options?: {
    scheduledTime?: Date | number;
    cron?: string;
  }): unknown;
}
