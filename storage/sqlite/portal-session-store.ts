import type { ConsentStore, EidSignIn, PortalAccess, PortalSession } from '../../consent/index.ts';
import type { SqliteDatabase } from './database.ts';
import { guarded } from './guarded.ts';

type SessionPart = Pick<
  ConsentStore,
  'addSession' | 'session' | 'touchSession' | 'deleteSession' | 'addEidSignIn' | 'takeEidSignIn'
>;

interface SessionRow {
  token_hash: string;
  access: string;
  channel: PortalSession['channel'];
  assurance: PortalSession['assurance'];
  created_at: string;
  last_seen_at: string;
}
interface EidSignInRow {
  id_hash: string;
  state: string;
  nonce: string;
  code_verifier: string;
  return_to: string | null;
  created_at: string;
}

/**
 * Portal sessions and identity-verified sign-ins in flight. A session keeps what it may reach as
 * JSON; its tenant and subject are columns too (none for a person-wide session, which resolves its
 * subjects on each use), so erasing a subject ends the sessions that reach it.
 */
export function sqlitePortalSessions(db: SqliteDatabase): SessionPart {
  const insertSession = db.prepare(`INSERT INTO portal_sessions
    (token_hash, scope, tenant_id, subject, access, channel, assurance, created_at, last_seen_at)
    VALUES (@tokenHash, @scope, @tenantId, @subject, @access, @channel, @assurance, @createdAt,
    @lastSeenAt)`);
  const sessionByHash = db.prepare<[string], SessionRow>(
    'SELECT * FROM portal_sessions WHERE token_hash = ?',
  );
  const touch = db.prepare('UPDATE portal_sessions SET last_seen_at = ? WHERE token_hash = ?');
  const deleteSession = db.prepare('DELETE FROM portal_sessions WHERE token_hash = ?');
  const insertSignIn = db.prepare(`INSERT INTO eid_sign_ins
    (id_hash, state, nonce, code_verifier, return_to, created_at)
    VALUES (@idHash, @state, @nonce, @codeVerifier, @returnTo, @createdAt)`);
  const takeSignIn = db.prepare<[string], EidSignInRow>(
    'DELETE FROM eid_sign_ins WHERE id_hash = ? RETURNING *',
  );

  return {
    addSession(session) {
      const { access } = session;
      return guarded('that session', () => {
        insertSession.run({
          tokenHash: session.tokenHash,
          scope: access.kind,
          tenantId: access.kind === 'person' ? null : access.tenantId,
          subject: access.kind === 'person' ? null : access.subject,
          access: JSON.stringify(access),
          channel: session.channel,
          assurance: session.assurance,
          createdAt: session.createdAt,
          lastSeenAt: session.lastSeenAt,
        });
      });
    },
    session(tokenHash) {
      const row = sessionByHash.get(tokenHash);
      return Promise.resolve(
        row && {
          tokenHash: row.token_hash,
          access: JSON.parse(row.access) as PortalAccess,
          channel: row.channel,
          assurance: row.assurance,
          createdAt: row.created_at,
          lastSeenAt: row.last_seen_at,
        },
      );
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
        insertSignIn.run({ ...signIn, returnTo: signIn.returnTo ?? null });
      });
    },
    takeEidSignIn(idHash) {
      return guarded('that sign-in', () => {
        const row = takeSignIn.get(idHash);
        if (!row) return undefined;
        const signIn: EidSignIn = {
          idHash: row.id_hash,
          state: row.state,
          nonce: row.nonce,
          codeVerifier: row.code_verifier,
          ...(row.return_to === null ? {} : { returnTo: row.return_to }),
          createdAt: row.created_at,
        };
        return signIn;
      });
    },
  };
}
