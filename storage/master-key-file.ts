import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  encodeMasterKey,
  generateMasterKeyBytes,
  importMasterKey,
  parseMasterKey,
} from '../certs/index.ts';

export const MASTER_KEY_FILE = 'master.key';

export interface LoadedMasterKey {
  readonly key: CryptoKey;
  /** `env`: GATEWAY_MASTER_KEY; `file`: the data dir's key file; `created`: a new key file. */
  readonly source: 'env' | 'file' | 'created';
}

/**
 * The key that wraps every private key at rest. Production passes it in `GATEWAY_MASTER_KEY`
 * (32 bytes as hex or base64) from a secret store, so the database alone reveals no key. The
 * embedded default keeps it in `<dataDir>/master.key` (mode 0600) beside the database: convenient,
 * but whoever copies the data dir copies the key, so callers warn when they use it.
 */
export async function loadMasterKey(
  dataDir: string,
  fromEnv: string | undefined,
  options: { create: boolean } = { create: true },
): Promise<LoadedMasterKey> {
  if (fromEnv !== undefined && fromEnv !== '') {
    return { key: await importMasterKey(parseMasterKey(fromEnv)), source: 'env' };
  }
  const file = join(dataDir, MASTER_KEY_FILE);
  if (existsSync(file)) {
    return {
      key: await importMasterKey(parseMasterKey(readFileSync(file, 'utf8').trim())),
      source: 'file',
    };
  }
  if (!options.create) {
    throw new Error(`no master key: set GATEWAY_MASTER_KEY (no ${MASTER_KEY_FILE} in ${dataDir})`);
  }
  const bytes = generateMasterKeyBytes();
  // 'wx': never overwrite a key another process wrote a moment ago.
  writeFileSync(file, encodeMasterKey(bytes) + '\n', { mode: 0o600, flag: 'wx' });
  return { key: await importMasterKey(bytes), source: 'created' };
}

export const MASTER_KEY_WARNING =
  'master key kept in the data dir (embedded default): set GATEWAY_MASTER_KEY in production';
