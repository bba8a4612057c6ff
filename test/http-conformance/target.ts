import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, expect } from 'vitest';
import type { GatewayApp } from '../../gateway/app.ts';
import type { Problem } from '../../gateway/problem.ts';
import { signedBy, type Subject } from '../support/flows.ts';
import { personGrants, residenceStatusRequest } from '../support/person.ts';
import { assertionFor, type AssertionOptions, type TestPrincipal } from '../support/pki.ts';
import type { ConformanceWorld } from './seed.ts';

/**
 * A running gateway as the suite sees it: somewhere to send requests, and the world seeded into
 * its storage before it started. A runner (Node process, workerd) makes one per suite run.
 */
export interface HttpTarget {
  /** Sends a request to the gateway; `path` starts with `/` and may carry a query. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** The gateway's public base URL (`GATEWAY_PUBLIC_URL`): the `aud` of every client assertion. */
  readonly audience: string;
  /** The largest request body the gateway was configured to accept, in bytes. */
  readonly bodyLimit: number;
  /** What `seedHttpConformance` answered for the storage the gateway serves. */
  readonly world: ConformanceWorld;
  /** Stops the gateway and removes whatever `start` made. */
  close(): Promise<void>;
}

/** Starts a gateway on freshly seeded storage; called once per suite run. */
export type StartTarget = () => Promise<HttpTarget>;

/** Starting includes seeding (key generation) and, on Node, a process loading its sources. */
const START_TIMEOUT_MS = 120_000;
const DAY_MS = 86_400_000;

/** A moment `days` from now, as RFC 3339 UTC without fractions. */
export const inDays = (days: number): string =>
  new Date(Date.now() + days * DAY_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A person nobody has asked anything yet: a random, well-formed AZR number. */
export function newPerson(): Subject {
  const digits = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => String(b % 10));
  return { scheme: 'azr', value: digits.join('') };
}

/** The immigration office's notice as API.md shows it; `extra` adds or replaces fields. */
export const residenceNotice = (extra: Record<string, unknown> = {}) => ({
  residenceTitle: { kind: 'duldung', legalBasis: '§ 60a AufenthG', validUntil: '2027-03-31' },
  employmentPermission: { allowed: true, conditions: 'nur Teilzeit' },
  ...extra,
});

/**
 * Asserts that `res` is an RFC 9457 problem with `status` and stable `code`, and answers its body
 * for further checks on `reasons`, `errors` or `fields`.
 */
export async function expectProblem(res: Response, status: number, code: string) {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get('Content-Type')).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(text) as Problem;
  expect(problem).toMatchObject({ status, code });
  return problem;
}

/** The `code`s of a problem's reasons, for assertions that do not depend on message text. */
export const reasonCodes = (problem: Problem): string[] =>
  (problem.reasons ?? []).map((reason) => reason.code);

/**
 * The gateway under test, available once the suite's `beforeAll` started it, with what the
 * suite does over and over: requests as a principal, consent asked and granted, notices sent.
 */
export class GatewayUnderTest {
  #target: HttpTarget | undefined;

  async start(start: StartTarget): Promise<void> {
    this.#target = await start();
  }

  async close(): Promise<void> {
    await this.#target?.close();
    this.#target = undefined;
  }

  get target(): HttpTarget {
    if (this.#target === undefined) throw new Error('the gateway under test has not started');
    return this.#target;
  }

  get world(): ConformanceWorld {
    return this.target.world;
  }

  fetch(path: string, init?: RequestInit): Promise<Response> {
    return this.target.fetch(path, init);
  }

  /** A fresh client assertion of `p` for the gateway; `extra` bends it for refusal tests. */
  assertion(p: TestPrincipal, extra: Partial<AssertionOptions> = {}): Promise<string> {
    return assertionFor(p, { audience: this.target.audience, now: new Date(), ...extra });
  }

  /** A request with `token` as the bearer; a body is sent as application/json. */
  withToken(token: string, path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('Authorization', `Bearer ${token}`);
    if (init.body !== undefined && !headers.has('Content-Type')) {
      headers.set('Content-Type', 'application/json');
    }
    return this.fetch(path, { ...init, headers });
  }

  /** A request as `p`, with a fresh client assertion. */
  async as(p: TestPrincipal, path: string, init: RequestInit = {}): Promise<Response> {
    return this.withToken(await this.assertion(p), path, init);
  }

  /**
   * The gateway as test/support/person.ts drives it: its helpers call only `request`, which over
   * HTTP is the target's fetch.
   */
  get portal(): GatewayApp {
    const request = (path: string, init?: RequestInit) => this.fetch(path, init);
    return { request } as unknown as GatewayApp;
  }

  /**
   * The Jobcenter asks `subject` to let the immigration office tell it residence status and
   * employment permission; `overrides` replace fields of the request.
   */
  requestConsent(subject: Subject, overrides: Record<string, unknown> = {}): Promise<Response> {
    return this.as(this.world.jc, '/v1/consent-requests', {
      method: 'POST',
      body: residenceStatusRequest(subject, {
        categories: ['residence_status', 'employment_permission'],
        validUntil: inDays(180),
        ...overrides,
      }),
    });
  }

  /** {@link requestConsent}, which must answer 201; answers its body. */
  async askConsent(subject: Subject, overrides: Record<string, unknown> = {}) {
    const res = await this.requestConsent(subject, overrides);
    const text = await res.text();
    expect(res.status, text).toBe(201);
    return JSON.parse(text) as { id: string; code: string; portalUrl: string; expiresAt: string };
  }

  /** {@link askConsent}, then the person signs in with the code and grants in the portal. */
  async grantedConsent(subject: Subject, overrides: Record<string, unknown> = {}) {
    const request = await this.askConsent(subject, overrides);
    return { requestId: request.id, ...(await personGrants(this.portal, request)) };
  }

  /**
   * `by` sends `message` about `subject`: a residence notice to the Jobcenter, signed by `by`,
   * unless told otherwise (`payload` replaces the signed message whole).
   */
  async send(
    by: TestPrincipal,
    subject: Subject,
    options: {
      message?: unknown;
      payload?: string;
      recipient?: string;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Response> {
    return this.as(by, '/v1/exchanges', {
      method: 'POST',
      ...(options.headers === undefined ? {} : { headers: options.headers }),
      body: JSON.stringify({
        recipient: options.recipient ?? this.world.jc.id,
        subject,
        purpose: 'labour_market_integration',
        messageType: 'residence_status.notice',
        payload: options.payload ?? (await signedBy(by, options.message ?? residenceNotice())),
      }),
    });
  }

  /** The gateway's verification keys, from its JWKS. */
  async jwks() {
    const res = await this.fetch('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    return createLocalJWKSet((await res.json()) as JSONWebKeySet);
  }
}

/** Starts the gateway before the enclosing block's tests and stops it after them. */
export function gatewayUnderTest(start: StartTarget): GatewayUnderTest {
  const gateway = new GatewayUnderTest();
  beforeAll(() => gateway.start(start), START_TIMEOUT_MS);
  afterAll(() => gateway.close(), START_TIMEOUT_MS);
  return gateway;
}
