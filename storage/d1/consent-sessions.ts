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
import type { D1Database } from './d1.ts';
import { runOne } from './guards.ts';

/**
 * Portal sessions and identity-verified sign-ins in flight. A session keeps what it may reach as
 * JSON; its tenant and subject are columns too (none for a person-wide session, which resolves its
 * subjects on each use), so erasing a subject ends the sessions that reach it. A sign-in is taken
 * with one `DELETE … RETURNING`: of racing takers, one gets the row.
 */
export function d1PortalSessions(db: D1Database): SessionPart {
  return {
    async addSession(session) {
      await runOne(
        db
          .prepare(
            `INSERT INTO portal_sessions (${SESSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .bind(...sessionValues(session)),
        'that session',
      );
    },
    async session(tokenHash) {
      const row = await db
        .prepare(
          `SELECT token_hash, access, channel, assurance, created_at, last_seen_at
           FROM portal_sessions WHERE token_hash = ?`,
        )
        .bind(tokenHash)
        .first<SessionRow>();
      return row ? toSession(row) : undefined;
    },
    async touchSession(tokenHash, at) {
      await db
        .prepare('UPDATE portal_sessions SET last_seen_at = ? WHERE token_hash = ?')
        .bind(at, tokenHash)
        .run();
    },
    async deleteSession(tokenHash) {
      await db.prepare('DELETE FROM portal_sessions WHERE token_hash = ?').bind(tokenHash).run();
    },
    async addEidSignIn(signIn) {
      await runOne(
        db
          .prepare(`INSERT INTO eid_sign_ins (${SIGN_IN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`)
          .bind(...signInValues(signIn)),
        'that sign-in',
      );
    },
    async takeEidSignIn(idHash) {
      const { results } = await db
        .prepare('DELETE FROM eid_sign_ins WHERE id_hash = ? RETURNING *')
        .bind(idHash)
        .all<EidSignInRow>();
      const row = results[0];
      return row ? toEidSignIn(row) : undefined;
    },
  };
}
