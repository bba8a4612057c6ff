import type { ConsentStore, EidSignIn, PortalAccess, PortalSession } from '../../consent/index.ts';

// Portal sessions and sign-ins in flight, as SQLite, PostgreSQL and D1 all hold them (the access
// as JSON text in each), and the records they map to.

/** The part of the ConsentStore each adapter's portal sessions implement. */
export type SessionPart = Pick<
  ConsentStore,
  'addSession' | 'session' | 'touchSession' | 'deleteSession' | 'addEidSignIn' | 'takeEidSignIn'
>;

export interface SessionRow {
  token_hash: string;
  access: string;
  channel: PortalSession['channel'];
  assurance: PortalSession['assurance'];
  created_at: string;
  last_seen_at: string;
}
export interface EidSignInRow {
  id_hash: string;
  state: string;
  nonce: string;
  code_verifier: string;
  return_to: string | null;
  created_at: string;
}

/** The columns {@link sessionValues} fills, in its order. */
export const SESSION_COLUMNS =
  'token_hash, scope, tenant_id, subject, access, channel, assurance, created_at, last_seen_at';

/**
 * The values of a new `portal_sessions` row, in the order of {@link SESSION_COLUMNS}. Tenant and
 * subject are columns too (none for a person-wide session), so erasing a subject reaches them.
 */
export const sessionValues = (session: PortalSession) => {
  const { access } = session;
  return [
    session.tokenHash,
    access.kind,
    access.kind === 'person' ? null : access.tenantId,
    access.kind === 'person' ? null : access.subject,
    JSON.stringify(access),
    session.channel,
    session.assurance,
    session.createdAt,
    session.lastSeenAt,
  ];
};

export const toSession = (row: SessionRow): PortalSession => ({
  tokenHash: row.token_hash,
  access: JSON.parse(row.access) as PortalAccess,
  channel: row.channel,
  assurance: row.assurance,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
});

/** The columns {@link signInValues} fills, in its order. */
export const SIGN_IN_COLUMNS = 'id_hash, state, nonce, code_verifier, return_to, created_at';

/** The values of a new `eid_sign_ins` row, in the order of {@link SIGN_IN_COLUMNS}. */
export const signInValues = (signIn: EidSignIn) => [
  signIn.idHash,
  signIn.state,
  signIn.nonce,
  signIn.codeVerifier,
  signIn.returnTo ?? null,
  signIn.createdAt,
];

export const toEidSignIn = (row: EidSignInRow): EidSignIn => ({
  idHash: row.id_hash,
  state: row.state,
  nonce: row.nonce,
  codeVerifier: row.code_verifier,
  ...(row.return_to === null ? {} : { returnTo: row.return_to }),
  createdAt: row.created_at,
});
