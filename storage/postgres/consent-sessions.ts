import type { ConsentStore, PortalAccess, PortalSession } from '../../consent/index.ts';
import { conflictAs, type PgDatabase, type Row } from './database.ts';

type SessionPart = Pick<
  ConsentStore,
  'addSession' | 'session' | 'touchSession' | 'deleteSession' | 'addEidSignIn' | 'takeEidSignIn'
>;

interface SessionRow extends Row {
  token_hash: string;
  access: string;
  channel: PortalSession['channel'];
  assurance: PortalSession['assurance'];
  created_at: string;
  last_seen_at: string;
}
interface EidSignInRow extends Row {
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
 * subjects on each use), so erasing a subject ends the sessions that reach it. A sign-in is taken
 * with `DELETE … RETURNING`: of takers racing on several instances, one gets the row.
 */
export function pgPortalSessions(db: PgDatabase): SessionPart {
  return {
    async addSession(session) {
      const { access } = session;
      await conflictAs('that session', () =>
        db.query(
          `INSERT INTO portal_sessions (token_hash, scope, tenant_id, subject, access, channel,
             assurance, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            session.tokenHash,
            access.kind,
            access.kind === 'person' ? null : access.tenantId,
            access.kind === 'person' ? null : access.subject,
            JSON.stringify(access),
            session.channel,
            session.assurance,
            session.createdAt,
            session.lastSeenAt,
          ],
        ),
      );
    },
    async session(tokenHash) {
      const [row] = await db.rows<SessionRow>(
        `SELECT token_hash, access, channel, assurance, created_at, last_seen_at
         FROM portal_sessions WHERE token_hash = $1`,
        [tokenHash],
      );
      return (
        row && {
          tokenHash: row.token_hash,
          access: JSON.parse(row.access) as PortalAccess,
          channel: row.channel,
          assurance: row.assurance,
          createdAt: row.created_at,
          lastSeenAt: row.last_seen_at,
        }
      );
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
          `INSERT INTO eid_sign_ins (id_hash, state, nonce, code_verifier, return_to, created_at)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [
            signIn.idHash,
            signIn.state,
            signIn.nonce,
            signIn.codeVerifier,
            signIn.returnTo ?? null,
            signIn.createdAt,
          ],
        ),
      );
    },
    async takeEidSignIn(idHash) {
      const [row] = await db.rows<EidSignInRow>(
        'DELETE FROM eid_sign_ins WHERE id_hash = $1 RETURNING *',
        [idHash],
      );
      return (
        row && {
          idHash: row.id_hash,
          state: row.state,
          nonce: row.nonce,
          codeVerifier: row.code_verifier,
          ...(row.return_to === null ? {} : { returnTo: row.return_to }),
          createdAt: row.created_at,
        }
      );
    },
  };
}
