import { compactVerify, createLocalJWKSet, decodeJwt } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGatewaySigner, type PkiDeps } from '../certs/index.ts';
import { backoffMs, deliverNotifications, LEASE_MS } from '../exchange/index.ts';
import type { TestGateway } from './support/app.ts';
import { addPrincipal, type TestPrincipal } from './support/pki.ts';
import { askConsent, sendNotice } from './support/flows.ts';
import { personGrants } from './support/person.ts';
import { koelnWorld, type KoelnWorld } from './support/world.ts';

const SUBJECT = { scheme: 'azr', value: '555000111222' };
let world: KoelnWorld;
let gw: TestGateway;
let deps: PkiDeps;
let abh: TestPrincipal;
let as: KoelnWorld['as'];
let server: Server;
let received: { contentType: string | undefined; body: string }[];
let failFirst: number;
let consentId: string;

beforeEach(async () => {
  received = [];
  failFirst = 0;
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ contentType: req.headers['content-type'], body });
      res.statusCode = failFirst-- > 0 ? 503 : 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;

  world = await koelnWorld({ agencies: ['abh', 'jc'], dpo: false, webhookUrls: { jc: url } });
  ({ gw, deps, abh, as } = world);
  const created = await askConsent(world, world.jc, SUBJECT);
  ({ consentId } = await personGrants(gw.app, created));
});
afterEach(async () => {
  world.close();
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
});

async function send(): Promise<string> {
  const res = await sendNotice(world, abh, SUBJECT, {
    residenceTitle: { kind: 'duldung', legalBasis: '§ 60a AufenthG' },
    employmentPermission: { allowed: false },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

const deliver = () =>
  deliverNotifications({
    exchanges: gw.storage.exchanges,
    consents: gw.storage.consents,
    signer: createGatewaySigner({ pki: gw.storage.pki, masterKey: gw.masterKey }),
    clock: gw.clock,
    fetch,
  });

describe('webhook notifications', () => {
  it('posts a signed notification with metadata only', async () => {
    const id = await send();
    expect(await deliver()).toBe(1);
    expect(received).toHaveLength(1);
    expect(received[0]?.contentType).toBe('application/jose');
    const jwks = createLocalJWKSet(
      (await (await gw.app.request('/.well-known/jwks.json')).json()) as { keys: [] },
    );
    const { payload, protectedHeader } = await compactVerify(received[0]?.body ?? '', jwks, {
      algorithms: ['ES256'],
    });
    expect(protectedHeader.typ).toBe('mailbox-notification+jwt');
    const note = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    expect(note).toMatchObject({
      messageId: id,
      sender: 'abh-koeln',
      recipient: 'jc-koeln',
      messageType: 'residence_status.notice',
    });
    expect(JSON.stringify(note)).not.toMatch(/CANARY|duldung|60a/);
    expect(await deliver()).toBe(0); // delivered once, not again
  });

  it('posts each notification once when two deliveries run at once', async () => {
    const ids = [await send(), await send(), await send()];
    const counts = await Promise.all([deliver(), deliver()]);
    expect(counts[0] + counts[1]).toBe(3);
    expect(received).toHaveLength(3);
    const announced = received.map((r) => (decodeJwt(r.body) as { messageId: string }).messageId);
    expect(announced.sort()).toEqual(ids.sort());
  });

  it('leaves a notification claimed by a delivery that died to the next one after the lease', async () => {
    await send();
    const now = gw.clock.now().getTime();
    const lease = new Date(now + LEASE_MS).toISOString();
    // An instance claims it and dies before it posts or records an attempt.
    expect(
      await gw.storage.exchanges.claimNotifications(new Date(now).toISOString(), lease, 100),
    ).toHaveLength(1);
    expect(await deliver()).toBe(0);
    gw.clock.advance(LEASE_MS - 1);
    expect(await deliver()).toBe(0);
    expect(received).toHaveLength(0);
    gw.clock.advance(1);
    expect(await deliver()).toBe(1);
    expect(received).toHaveLength(1);
  });

  it('retries with backoff after failures, and the message waits regardless', async () => {
    failFirst = 2;
    const id = await send();
    expect(await deliver()).toBe(0);
    expect(await deliver()).toBe(0); // not due yet: backoff
    expect(received).toHaveLength(1);
    gw.clock.advance(backoffMs(1));
    expect(await deliver()).toBe(0);
    gw.clock.advance(backoffMs(2));
    expect(await deliver()).toBe(1);
    expect(received).toHaveLength(3);
    // The message was in the mailbox all along.
    expect((await gw.storage.exchanges.message('koeln', id))?.state).toBe('queued');
  });

  it('gives up after ten attempts without touching the message', async () => {
    failFirst = 100;
    const id = await send();
    for (let i = 1; i <= 10; i++) {
      await deliver();
      gw.clock.advance(backoffMs(i));
    }
    expect(received).toHaveLength(10);
    await deliver();
    expect(received).toHaveLength(10);
    expect(gw.storage.db.prepare('SELECT state FROM webhook_outbox').pluck().get()).toBe('failed');
    expect((await gw.storage.exchanges.message('koeln', id))?.state).toBe('queued');
  });

  it('does not announce a message withheld by a revocation', async () => {
    const id = await send();
    const revoked = await as(world.jc, `/v1/consents/${consentId}/revoke`, { method: 'POST' });
    expect(revoked.status).toBe(200);
    expect((await gw.storage.exchanges.message('koeln', id))?.state).toBe('withheld');
    expect(await deliver()).toBe(0);
    expect(received).toHaveLength(0);
    expect(gw.storage.db.prepare('SELECT state FROM webhook_outbox').pluck().get()).toBe('failed');
  });

  it('does not announce a message whose consent ended, even before the sweep withheld it', async () => {
    const id = await send();
    gw.clock.advance(Date.parse('2027-06-01T00:00:00Z') - gw.clock.now().getTime());
    expect(await deliver()).toBe(0);
    expect(received).toHaveLength(0);
    // Still waiting: withholding is the sweep's or the fetch's, which audit it.
    expect((await gw.storage.exchanges.message('koeln', id))?.state).toBe('queued');
    gw.clock.advance(-1);
    expect(await deliver()).toBe(0); // given up, not retried
  });

  it('refuses a webhook that is not https (except to loopback)', async () => {
    await expect(
      addPrincipal(deps, {
        tenantId: 'koeln',
        id: 'so-koeln',
        kind: 'agency',
        agencyType: 'social_office',
        webhookUrl: 'http://example.org/hook',
      }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });
});
