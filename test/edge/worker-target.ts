import { env, SELF } from 'cloudflare:test';
import { importMasterKey, parseMasterKey } from '../../certs/index.ts';
import type { GatewayApp } from '../../gateway/app.ts';
import { openD1Storage } from '../../storage/d1/storage.ts';
import {
  seedHttpConformance,
  type ConformanceWorld,
  type HttpTarget,
} from '../http-conformance/index.ts';
import { assertionFor, type TestPrincipal } from '../support/pki.ts';
import type { Canary } from './log-scan.ts';

/** One request a test sent to the worker and the answer it got, bodies as text. */
export interface SentRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  /** A string or form body as sent; absent for none (or a stream, which the tests never send). */
  readonly body: string | undefined;
  readonly status: number;
  readonly responseHeaders: Headers;
  /** JSON, HTML, JWT and plain-text answers; absent for the rest (the Swagger UI files). */
  readonly responseBody: string | undefined;
}

/**
 * The real Worker (`gateway/worker.ts`, the pool's SELF, in this file's isolate) on the D1
 * database of this file's workerd, seeded once with the conformance world, and every request
 * the file's tests send it, recorded for the log canary scan.
 */
export class WorkerUnderTest {
  /** The gateway's GATEWAY_PUBLIC_URL (test/edge/wrangler.toml): where requests are sent. */
  readonly audience = env.GATEWAY_PUBLIC_URL;
  readonly bodyLimit = Number(env.GATEWAY_BODY_LIMIT);
  readonly sent: SentRequest[] = [];
  /** What tests handed the gateway through its ports rather than HTTP: no log may show it. */
  readonly handedOver: Canary[] = [];
  #world: Promise<ConformanceWorld> | undefined;
  #seededAuditSize = 0;

  /** The master key the worker unwraps with (GATEWAY_MASTER_KEY, made by vitest.config.ts). */
  masterKey(): Promise<CryptoKey> {
    return importMasterKey(parseMasterKey(env.GATEWAY_MASTER_KEY));
  }

  /**
   * Seeds the world into the still empty D1 on the first call, before the worker's first
   * request builds the gateway (which checks the master key against the keys in D1); later
   * calls answer the same world, whichever block of the file starts first.
   */
  world(): Promise<ConformanceWorld> {
    this.#world ??= this.masterKey().then(async (masterKey) => {
      const world = await seedHttpConformance({ storage: openD1Storage(env.DB), masterKey });
      this.#seededAuditSize = await this.auditSize(world.tenantId);
      return world;
    });
    return this.#world;
  }

  /** How many audit entries seeding wrote, before the worker appended any. */
  get seededAuditSize(): number {
    return this.#seededAuditSize;
  }

  /** How many entries the tenant's audit log holds now, as stored in D1. */
  async auditSize(tenantId: string): Promise<number> {
    return (await openD1Storage(env.DB).audit.head(tenantId))?.size ?? 0;
  }

  /**
   * Sends `path` (with its query) to the worker at its public URL, and records the exchange.
   * Redirects are answered, not followed, as `app.request` does in process: a followed 303
   * would drop the cookie it sets and answer for another request.
   */
  readonly fetch = async (path: string, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(path, this.audience);
    const response = await SELF.fetch(url, { redirect: 'manual', ...init });
    const type = response.headers.get('Content-Type') ?? '';
    const textual = /^(application\/(problem\+)?json|application\/jwt|text\/(html|plain))/;
    const { body } = init;
    this.sent.push({
      method: init.method ?? 'GET',
      url,
      headers: new Headers(init.headers),
      body:
        typeof body === 'string' || body instanceof URLSearchParams ? body.toString() : undefined,
      status: response.status,
      responseHeaders: new Headers(response.headers),
      responseBody: textual.test(type)
        ? new TextDecoder().decode(await response.clone().arrayBuffer())
        : undefined,
    });
    return response;
  };

  /** A request as `p`, with a fresh client assertion; a body is sent as application/json. */
  async as(p: TestPrincipal, path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const token = await assertionFor(p, { audience: this.audience, now: new Date() });
    headers.set('Authorization', `Bearer ${token}`);
    if (init.body !== undefined) headers.set('Content-Type', 'application/json');
    return this.fetch(path, { ...init, headers });
  }

  /** The conformance suite's target: the worker, on the seeded world. */
  async target(): Promise<HttpTarget> {
    return {
      fetch: this.fetch,
      audience: this.audience,
      bodyLimit: this.bodyLimit,
      world: await this.world(),
      // The file's workerd, and the D1 with it, ends with the file.
      close: () => Promise.resolve(),
    };
  }

  /** The worker as test/support helpers drive an app: they call only `request`. */
  get app(): GatewayApp {
    return { request: this.fetch } as unknown as GatewayApp;
  }
}
