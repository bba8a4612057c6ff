import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { base64url } from 'jose';
import { z } from 'zod';
import { tenantHmacKey, type ConsentStore } from '../../consent/index.ts';
import { toBase64Url, type Clock } from '../../core/index.ts';
import { TenantId, type TenantStore } from '../../tenants/index.ts';

/** How long a monitoring sign-in lasts: a working day. */
export const SESSION_SECONDS = 8 * 3600;

/** The kinds of principal that read monitoring figures, in the pages as in the API. */
export const READER_KINDS = ['monitor', 'dpo'] as const;
export type ReaderKind = (typeof READER_KINDS)[number];

/** Who a monitoring session belongs to, and until when (seconds since the epoch). */
export interface MonitoringSession {
  readonly tenantId: string;
  readonly principalId: string;
  readonly kind: ReaderKind;
  readonly expiresAt: number;
}

/** What a request's cookie says: no session, one that no longer holds, or a valid one. */
export type SessionState =
  | { readonly state: 'none' }
  | { readonly state: 'ended' }
  | { readonly state: 'open'; readonly session: MonitoringSession };

const Payload = z.strictObject({
  v: z.literal(1),
  t: TenantId,
  p: z.string().min(1).max(128),
  k: z.enum(READER_KINDS),
  e: z.number().int().positive(),
});

const SECRET_NAME = 'monitoring-session';
/** The MAC covers a label as well, so a MAC made for anything else never passes as a session. */
const MAC_LABEL = 'consent-gateway monitoring-session v1.';
const MAX_COOKIE = 512;
const PART = /^[A-Za-z0-9_-]+$/;

export interface SessionDeps {
  readonly secrets: Pick<ConsentStore, 'tenantSecret'>;
  readonly tenants: Pick<TenantStore, 'get'>;
  readonly masterKey: CryptoKey;
  readonly clock: Clock;
  /** Secure cookies (`__Secure-` prefix) when the gateway is reached over TLS. */
  readonly https: boolean;
}

/**
 * The monitoring session as a stateless cookie: tenant, principal, kind and expiry, authenticated
 * with HMAC-SHA256 under a secret of the tenant that rests wrapped under the master key. Nothing is
 * stored per session; revocation works because every request checks the principal again (see
 * `access.ts`), and a new secret (deleting the stored one) ends all sessions of the tenant.
 * The cookie is HttpOnly, SameSite=Strict and limited to `/monitoring`, so the person's portal and
 * the API never see it.
 */
export class MonitoringSessions {
  readonly #deps: SessionDeps;
  readonly #name: string;
  readonly #keys = new Map<string, Promise<CryptoKey>>();

  constructor(deps: SessionDeps) {
    this.#deps = deps;
    this.#name = deps.https ? '__Secure-cg_monitoring' : 'cg_monitoring';
  }

  /** Sets the cookie for a principal that just signed in. */
  async issue(c: Context, who: Omit<MonitoringSession, 'expiresAt'>): Promise<void> {
    const expiresAt = Math.floor(this.#deps.clock.now().getTime() / 1000) + SESSION_SECONDS;
    const payload = toBase64Url(
      new TextEncoder().encode(
        JSON.stringify({ v: 1, t: who.tenantId, p: who.principalId, k: who.kind, e: expiresAt }),
      ),
    );
    const key = await this.#key(who.tenantId);
    const mac = await crypto.subtle.sign('HMAC', key, macInput(payload));
    setCookie(c, this.#name, `${payload}.${toBase64Url(new Uint8Array(mac))}`, {
      httpOnly: true,
      sameSite: 'Strict',
      secure: this.#deps.https,
      path: '/monitoring',
      maxAge: SESSION_SECONDS,
    });
  }

  /** Reads and checks the cookie: its form, the tenant, the MAC (constant time), the expiry. */
  async read(c: Context): Promise<SessionState> {
    const cookie = getCookie(c, this.#name);
    if (cookie === undefined) return { state: 'none' };
    const [payload, mac, ...rest] = cookie.split('.');
    if (
      cookie.length > MAX_COOKIE ||
      rest.length > 0 ||
      payload === undefined ||
      mac === undefined ||
      !PART.test(payload) ||
      !PART.test(mac)
    ) {
      return { state: 'ended' };
    }
    const claims = Payload.safeParse(decodeJson(payload));
    if (!claims.success) return { state: 'ended' };
    const { t: tenantId, p: principalId, k: kind, e: expiresAt } = claims.data;
    // Only a tenant that exists gets a secret: a forged cookie must not make one for any name.
    if ((await this.#deps.tenants.get(tenantId)) === undefined) return { state: 'ended' };
    const key = await this.#key(tenantId);
    const valid = await crypto.subtle.verify(
      'HMAC',
      key,
      Uint8Array.from(base64url.decode(mac)),
      macInput(payload),
    );
    if (!valid) return { state: 'ended' };
    if (expiresAt * 1000 <= this.#deps.clock.now().getTime()) return { state: 'ended' };
    return { state: 'open', session: { tenantId, principalId, kind, expiresAt } };
  }

  clear(c: Context): void {
    deleteCookie(c, this.#name, { path: '/monitoring', secure: this.#deps.https });
  }

  #key(tenantId: string): Promise<CryptoKey> {
    let key = this.#keys.get(tenantId);
    if (key === undefined) {
      const { secrets, masterKey } = this.#deps;
      key = tenantHmacKey(secrets, masterKey, tenantId, SECRET_NAME, ['sign', 'verify']);
      key.catch(() => this.#keys.delete(tenantId));
      this.#keys.set(tenantId, key);
    }
    return key;
  }
}

const macInput = (payload: string) => new TextEncoder().encode(`${MAC_LABEL}${payload}`);

function decodeJson(part: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(base64url.decode(part)));
  } catch {
    // Not base64url JSON: the caller treats it as a broken cookie, which it is.
    return undefined;
  }
}
