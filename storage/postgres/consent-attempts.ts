import type { ConsentStore } from '../../consent/index.ts';
import type { PgDatabase } from './database.ts';

type AttemptPart = Pick<ConsentStore, 'reserveAttempt' | 'releaseAttempt' | 'recordFailedAttempt'>;

/**
 * Second-factor attempts. Those for one request take turns on the request's row (`FOR NO KEY
 * UPDATE`: it does not hold up a consent referring to the request), so each counts what the one
 * before committed and racing guesses on several instances cannot all pass the lock.
 */
export function pgAttempts(db: PgDatabase): AttemptPart {
  const lockRequestRow = (requestId: string) =>
    db.query('SELECT 1 FROM consent_requests WHERE id = $1 FOR NO KEY UPDATE', [requestId]);

  return {
    async reserveAttempt(requestId, at, max) {
      return db.transaction(async () => {
        await lockRequestRow(requestId);
        const [row] = await db.rows<{ id: number }>(
          `INSERT INTO code_attempts (request_id, at) SELECT $1::text, $2::text
           WHERE (SELECT count(*) FROM code_attempts WHERE request_id = $1) < $3::int
           RETURNING id`,
          [requestId, at, max],
        );
        return row?.id;
      });
    },
    async releaseAttempt(attempt) {
      await db.query('DELETE FROM code_attempts WHERE id = $1', [attempt]);
    },
    async recordFailedAttempt(requestId, at) {
      return db.transaction(async () => {
        await lockRequestRow(requestId);
        await db.query('INSERT INTO code_attempts (request_id, at) VALUES ($1, $2)', [
          requestId,
          at,
        ]);
        const [row] = await db.rows<{ n: number }>(
          'SELECT count(*)::int AS n FROM code_attempts WHERE request_id = $1',
          [requestId],
        );
        return row?.n ?? 0;
      });
    },
  };
}
