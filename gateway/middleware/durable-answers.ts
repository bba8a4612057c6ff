import type { MiddlewareHandler } from 'hono';
import { GatewayError } from '../../core/index.ts';
import type { GatewayEnv } from '../env.ts';

/**
 * No answer leaves before what it reports is on stable storage. Storage that groups its flushes
 * (the embedded SQLite file, storage/sqlite/group-commit.ts) says so with `durable()`; every
 * answer waits for it, also one that only read, since it may show a commit another request made
 * a moment before. Storage whose every commit is durable has no `durable` and costs nothing here.
 * A failed flush answers 503 `storage_unavailable`: the request may be retried (an exchange with
 * its Idempotency-Key), never taken as done.
 */
export function durableAnswers(storage: {
  durable?(): Promise<void>;
}): MiddlewareHandler<GatewayEnv> {
  const durable = storage.durable?.bind(storage);
  return async function durableAnswers(_c, next) {
    await next();
    if (!durable) return;
    try {
      await durable();
    } catch {
      throw new GatewayError('storage_unavailable', {
        detail: 'the change could not be made durable; try again',
      });
    }
  };
}
