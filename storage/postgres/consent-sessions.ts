import {
  SESSION_COLUMNS,
  sessionValues,
  SIGN_IN_COLUMNS,
  signInValues,
  toEidSignIn,
  toSession,
  type EidSignInRow,
  type SessionPart,
  type SessionRow,
} from '../rows/sessions.ts';
import { conflictAs, type PgDatabase } from './database.ts';

/**
 * Portal sessions and identity-verified sign-ins in flight. A session keeps what it may reach as
 * JSON; its tenant and subject are columns too (none for a person-wide session, which resolves its
 * subjects on each use), so erasing a subject ends the sessions that reach it. A sign-in is taken
 * with `DELETE … RETURNING`: of takers racing on several instances, one gets the row.
 */
export function pgPortalSessions(db: PgDatabase): SessionPart {
  return {
    async addSession(session) {
      await conflictAs('that session', () =>
        db.query(
          `INSERT INTO portal_sessions (${SESSION_COLUMNS})
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          sessionValues(session),
        ),
      );
    },
    async session(tokenHash) {
      const [row] = await db.rows<SessionRow>(
        `SELECT token_hash, access, channel, assurance, created_at, last_seen_at
         FROM portal_sessions WHERE token_hash = $1`,
        [tokenHash],
      );
      return row && toSession(row);
    },
    async touchSession(tokenHash, at) {
      await db.query('UPDATE portal_sessions SET last_seen_at = $2 WHERE token_hash = $1', [
        tokenHash,
        at,
      ]);
    },
    async deleteSession(tokenHash) {
      await db.query('DELETE FROM portal_sessions WHERE token_hash = $1', [tokenHash]);
    },
    async addEidSignIn(signIn) {
      await conflictAs('that sign-in', () =>
        db.query(
          `INSERT INTO eid_sign_ins (${SIGN_IN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)`,
          signInValues(signIn),
        ),
      );
    },
    async takeEidSignIn(idHash) {
      const [row] = await db.rows<EidSignInRow>(
        'DELETE FROM eid_sign_ins WHERE id_hash = $1 RETURNING *',
        [idHash],
      );
      return row && toEidSignIn(row);
    },
  };
}
