import type { ConsentStore } from '../../consent/index.ts';
import type { D1Database } from './d1.ts';

type AttemptPart = Pick<ConsentStore, 'reserveAttempt' | 'releaseAttempt' | 'recordFailedAttempt'>;

/**
 * Second-factor attempts. A reservation is one conditional insert, which D1 runs alone: of
 * racing guesses, only as many as the lock allows find fewer than `max` counted.
 */
export function d1Attempts(db: D1Database): AttemptPart {
  return {
    async reserveAttempt(requestId, at, max) {
      const { results } = await db
        .prepare(
          `INSERT INTO code_attempts (request_id, at) SELECT ?, ?
           WHERE (SELECT count(*) FROM code_attempts WHERE request_id = ?) < ?
           RETURNING id`,
        )
        .bind(requestId, at, requestId, max)
        .all<{ id: number }>();
      return results[0]?.id;
    },
    async releaseAttempt(attempt) {
      await db.prepare('DELETE FROM code_attempts WHERE id = ?').bind(attempt).run();
    },
    async recordFailedAttempt(requestId, at) {
      const [, counted] = await db.batch<{ n: number }>([
        db.prepare('INSERT INTO code_attempts (request_id, at) VALUES (?, ?)').bind(requestId, at),
        db.prepare('SELECT count(*) AS n FROM code_attempts WHERE request_id = ?').bind(requestId),
      ]);
      return counted?.results[0]?.n ?? 0;
    },
  };
}
