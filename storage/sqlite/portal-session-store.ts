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
import type { SqliteDatabase } from './database.ts';
import { guarded } from './guarded.ts';

/**
 * Portal sessions and identity-verified sign-ins in flight. A session keeps what it may reach as
 * JSON; its tenant and subject are columns too (none for a person-wide session, which resolves its
 * subjects on each use), so erasing a subject ends the sessions that reach it.
 */
export function sqlitePortalSessions(db: SqliteDatabase): SessionPart {
  const insertSession = db.prepare(
    `INSERT INTO portal_sessions (${SESSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const sessionByHash = db.prepare<[string], SessionRow>(
    'SELECT * FROM portal_sessions WHERE token_hash = ?',
  );
  const touch = db.prepare('UPDATE portal_sessions SET last_seen_at = ? WHERE token_hash = ?');
  const deleteSession = db.prepare('DELETE FROM portal_sessions WHERE token_hash = ?');
  const insertSignIn = db.prepare(
    `INSERT INTO eid_sign_ins (${SIGN_IN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const takeSignIn = db.prepare<[string], EidSignInRow>(
    'DELETE FROM eid_sign_ins WHERE id_hash = ? RETURNING *',
  );

  return {
    addSession(session) {
      return guarded('that session', () => {
        insertSession.run(...sessionValues(session));
      });
    },
    session(tokenHash) {
      const row = sessionByHash.get(tokenHash);
      return Promise.resolve(row && toSession(row));
    },
    touchSession(tokenHash, at) {
      return guarded('that session', () => {
        touch.run(at, tokenHash);
      });
    },
    deleteSession(tokenHash) {
      return guarded('that session', () => {
        deleteSession.run(tokenHash);
      });
    },
    addEidSignIn(signIn) {
      return guarded('that sign-in', () => {
        insertSignIn.run(...signInValues(signIn));
      });
    },
    takeEidSignIn(idHash) {
      return guarded('that sign-in', () => {
        const row = takeSignIn.get(idHash);
        return row && toEidSignIn(row);
      });
    },
  };
}
