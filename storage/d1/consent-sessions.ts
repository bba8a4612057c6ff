import type { ConsentStore, PortalAccess, PortalSession } from '../../consent/index.ts';
import type { D1Database } from './d1.ts';
import { runOne } from './guards.ts';

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
 * subjects on each use), so erasing a subject ends the sessions that reach it. A sign-in is taken
 * with one `DELETE … RETURNING`: of racing takers, one gets the row.
 */
export function d1PortalSessions(db: D1Database): SessionPart {
  return {
    async addSession(session) {
      const { access } = session;
      await runOne(
        db
          .prepare(
            `INSERT INTO portal_sessions (token_hash, scope, tenant_id, subject, access, channel,
               assurance, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .bind(
            session.tokenHash,
            access.kind,
            access.kind === 'person' ? null : access.tenantId,
            access.kind === 'person' ? null : access.subject,
            JSON.stringify(access),
            session.channel,
            session.assurance,
            session.createdAt,
            session.lastSeenAt,
          ),
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
      return row
        ? {
            tokenHash: row.token_hash,
            access: JSON.parse(row.access) as PortalAccess,
            channel: row.channel,
            assurance: row.assurance,
            createdAt: row.created_at,
            lastSeenAt: row.last_seen_at,
          }
        : undefined;
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
          .prepare(
            `INSERT INTO eid_sign_ins (id_hash, state, nonce, code_verifier, return_to, created_at)
             VALUES (?, ?, ?, ?, ?, ?)`,
          )
          .bind(
            signIn.idHash,
            signIn.state,
            signIn.nonce,
            signIn.codeVerifier,
            signIn.returnTo ?? null,
            signIn.createdAt,
          ),
        'that sign-in',
      );
    },
    async takeEidSignIn(idHash) {
      const { results } = await db
        .prepare('DELETE FROM eid_sign_ins WHERE id_hash = ? RETURNING *')
        .bind(idHash)
        .all<EidSignInRow>();
      const row = results[0];
      return row
        ? {
            idHash: row.id_hash,
            state: row.state,
            nonce: row.nonce,
            codeVerifier: row.code_verifier,
            ...(row.return_to === null ? {} : { returnTo: row.return_to }),
            createdAt: row.created_at,
          }
        : undefined;
    },
  };
}
