import { SqliteError } from 'better-sqlite3';
import { GatewayError } from '../../core/index.ts';

/**
 * Runs a synchronous database write behind a port method that promises to be async: failures
 * come back as a rejected promise (never a synchronous throw a `.catch` would miss), and a
 * uniqueness violation becomes `conflict` naming `what`.
 */
export function guarded<T>(what: string, work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    if (
      error instanceof SqliteError &&
      (error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || error.code === 'SQLITE_CONSTRAINT_UNIQUE')
    ) {
      return Promise.reject(new GatewayError('conflict', { detail: `${what} exists already` }));
    }
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
