import { importMasterKey } from '../../certs/index.ts';
import { FixedClock } from '../../core/index.ts';
import { DEFAULT_POLICY, loadPolicySet, type PolicySet } from '../../policies/index.ts';
import { createApp, type GatewayApp, type GatewayDeps } from '../../gateway/app.ts';
import { createLogger } from '../../gateway/logging.ts';
import { nodeDocsAssets } from '../../gateway/node-docs-assets.ts';
import { openSqliteStorage, type SqliteStorage } from '../../storage/sqlite/index.ts';
import { tempDir } from './temp.ts';

/** Collects the JSON lines a logger writes, for assertions on what was (not) logged. */
export class LogCollector {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
  get entries(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
  get text(): string {
    return this.lines.join('');
  }
}

export interface TestGateway {
  readonly app: GatewayApp;
  /** Another app over the same storage, keys and clock, under another policy. */
  withPolicy(policy: PolicySet): GatewayApp;
  readonly storage: SqliteStorage;
  readonly logs: LogCollector;
  readonly clock: FixedClock;
  readonly dataDir: string;
  readonly masterKey: CryptoKey;
  close(): void;
}

/** The real app over real SQLite in a temp dir, with a frozen clock and captured logs. */
export async function testGateway(
  options: {
    bodyLimit?: number;
    publicUrl?: string;
    rateLimits?: GatewayDeps['rateLimits'];
    maxInflight?: number;
  } = {},
): Promise<TestGateway> {
  const dir = tempDir();
  const storage = openSqliteStorage(dir.path);
  const logs = new LogCollector();
  const clock = new FixedClock('2026-11-25T10:00:00Z');
  const masterKey = await importMasterKey(crypto.getRandomValues(new Uint8Array(32)));
  const appUnder = (policy: PolicySet) =>
    createApp({
      config: {
        publicUrl: options.publicUrl ?? 'http://localhost:8787',
        bodyLimit: options.bodyLimit ?? 1024 * 1024,
        version: '0.0.0-test',
      },
      clock,
      logger: createLogger({ level: 'info', destination: logs }),
      storage,
      keys: { masterKey },
      docsAssets: nodeDocsAssets(),
      policy,
      ...(options.rateLimits === undefined ? {} : { rateLimits: options.rateLimits }),
      ...(options.maxInflight === undefined ? {} : { maxInflight: options.maxInflight }),
    });
  const app = appUnder(await loadPolicySet(DEFAULT_POLICY));
  return {
    app,
    withPolicy: appUnder,
    storage,
    logs,
    clock,
    dataDir: dir.path,
    masterKey,
    close() {
      storage.close();
      dir.remove();
    },
  };
}
