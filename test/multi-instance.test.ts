import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAgency } from './support/demo-agency.ts';
import { startTestPostgres, type TestPostgres } from './support/postgres.ts';
import { run, startGateway, type GatewayProcess } from './support/process.ts';
import { tempDir } from './support/temp.ts';

/*
 * Three gateway processes on one PostgreSQL server, as a municipal data centre runs them behind a
 * load balancer: agencies send and persons grant and revoke through all three at once, one is
 * SIGKILLed midway, and clients retry elsewhere with the same Idempotency-Key. Afterwards every
 * accepted exchange is in the mailbox exactly once, the tenant's audit log is one gap-free
 * sequence that `consent-gateway audit verify` accepts, and a revocation through one instance has
 * withheld at once what waited on another.
 */

const PUBLIC_URL = 'http://gateway.test';
const PERSONS = 6;
const SENDS_PER_PERSON = 6;
const dir = tempDir('cgw-multi-');
const masterKey = randomBytes(32).toString('hex');
let postgres: TestPostgres;
let databaseUrl = '';
const instances: GatewayProcess[] = [];
const env = (name: string) => ({
  GATEWAY_DATA_DIR: join(dir.path, name),
  GATEWAY_DATABASE_URL: databaseUrl,
  GATEWAY_MASTER_KEY: masterKey,
  GATEWAY_PUBLIC_URL: PUBLIC_URL,
});

type Agent = ReturnType<typeof demoAgency>;

/** A request through instance `i`, as the load balancer would route it; JSON in, Response out. */
async function call(
  i: number,
  path: string,
  init: { as?: Agent; method?: string; body?: unknown; headers?: Record<string, string> },
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.as) headers.set('Authorization', `Bearer ${await init.as.token()}`);
  if (init.body !== undefined) headers.set('Content-Type', 'application/json');
  return fetch(`${instances[i]?.baseUrl ?? ''}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

beforeAll(async () => {
  postgres = await startTestPostgres();
  databaseUrl = await postgres.createDatabase('multi');
  // The first seeds the demo tenant on the empty database; the other two find it.
  instances.push(await startGateway(env('a')));
  // Each is kept as soon as it listens, so afterAll stops it even if its sibling failed to start.
  await Promise.all(
    ['b', 'c'].map(async (name, i) => {
      instances[i + 1] = await startGateway(env(name));
    }),
  );
}, 120_000);
afterAll(async () => {
  await Promise.all(instances.map((gw) => gw.stop().catch(() => undefined)));
  instances.length = 0;
  postgres.stop();
  dir.remove();
});

describe('three instances on one PostgreSQL', () => {
  let abh: Agent;
  let jc: Agent;
  const persons: { subject: { scheme: string; value: string }; consentId: string }[] = [];

  it('lets persons grant through one instance what was asked through another', async () => {
    // The demo agencies' keys, as the first instance wrote them when it seeded the tenant.
    abh = demoAgency(join(dir.path, 'a'), 'abh-demo', PUBLIC_URL);
    jc = demoAgency(join(dir.path, 'a'), 'jc-demo', PUBLIC_URL);
    await Promise.all(
      Array.from({ length: PERSONS }, async (_, n) => {
        const subject = { scheme: 'azr', value: `7000000000${String(n).padStart(2, '0')}` };
        const asked = await call(n % 3, '/v1/consent-requests', {
          as: jc,
          body: {
            subject,
            senders: ['abh-demo'],
            recipients: ['jc-demo'],
            purpose: 'labour_market_integration',
            categories: ['residence_status', 'employment_permission'],
            validUntil: new Date(Date.now() + 90 * 86_400_000).toISOString(),
            language: 'de',
            secondFactor: { type: 'birthDate', value: '1990-01-31' },
          },
        });
        expect(asked.status, await asked.clone().text()).toBe(201);
        const { id, code } = (await asked.json()) as { id: string; code: string };
        const session = await call((n + 1) % 3, '/v1/portal/session', {
          body: { code, secondFactor: '1990-01-31' },
        });
        expect(session.status).toBe(201);
        const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
        const granted = await call((n + 2) % 3, `/v1/portal/requests/${id}/grant`, {
          method: 'POST',
          headers: { Cookie: cookie },
        });
        expect(granted.status).toBe(200);
        const { consent } = (await granted.json()) as { consent: { id: string } };
        persons[n] = { subject, consentId: consent.id };
      }),
    );
  }, 120_000);

  it('accepts every exchange exactly once while an instance is killed midway', async () => {
    const accepted = new Map<string, string>();
    const killAfter = Math.floor((PERSONS * SENDS_PER_PERSON) / 3);
    let begun = 0;
    let retried = 0;
    const send = async (n: number, k: number) => {
      const key = `multi-${n}-${k}`;
      const body = {
        recipient: 'jc-demo',
        subject: persons[n]?.subject,
        purpose: 'labour_market_integration',
        messageType: 'residence_status.notice',
        payload: await abh.sign({
          residenceTitle: { kind: 'duldung', legalBasis: '§ 60a AufenthG' },
          employmentPermission: { allowed: true },
        }),
      };
      // Round robin; a refused connection (the killed instance) is retried on the next one.
      for (let attempt = 0; attempt < 6; attempt++) {
        const i = (n + k + attempt) % 3;
        try {
          const res = await call(i, '/v1/exchanges', {
            as: abh,
            body,
            headers: { 'Idempotency-Key': key },
          });
          expect(res.status, await res.clone().text()).toBe(201);
          accepted.set(key, ((await res.json()) as { id: string }).id);
          return;
        } catch (error) {
          if (!(error instanceof TypeError)) throw error; // fetch failed: connection refused
          retried++;
        }
      }
      throw new Error(`${key} found no instance`);
    };
    const killer = (async () => {
      while (begun < killAfter) await new Promise((resolve) => setTimeout(resolve, 5));
      await instances[2]?.stop('SIGKILL');
    })();
    await Promise.all(
      Array.from({ length: PERSONS }, async (_, n) => {
        for (let k = 0; k < SENDS_PER_PERSON; k++) {
          begun++;
          await send(n, k);
        }
      }),
    );
    await killer;
    expect(accepted.size).toBe(PERSONS * SENDS_PER_PERSON);
    // The kill came while sends were under way: some went to the dead instance and were retried.
    expect(retried).toBeGreaterThan(0);
    // Each accepted id exactly once in the mailbox, whichever instance lists it.
    const listed: string[] = [];
    let cursor = '';
    do {
      const page = (await (
        await call(0, `/v1/mailbox?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { as: jc })
      ).json()) as { items: { id: string }[]; nextCursor?: string };
      listed.push(...page.items.map((m) => m.id));
      cursor = page.nextCursor ?? '';
    } while (cursor);
    expect(listed.sort()).toEqual([...new Set(accepted.values())].sort());
  }, 240_000);

  it('withholds at once, on another instance, what waits under a consent revoked through one', async () => {
    const person = persons[0];
    if (!person) throw new Error('no person');
    const waiting = (await (await call(0, '/v1/mailbox?limit=100', { as: jc })).json()) as {
      items: { id: string; consentId?: string }[];
    };
    const revoked = await call(1, `/v1/consents/${person.consentId}/revoke`, {
      as: jc,
      method: 'POST',
    });
    expect(revoked.status).toBe(200);
    const after = (await (await call(0, '/v1/mailbox?limit=100', { as: jc })).json()) as {
      items: { id: string }[];
    };
    expect(after.items.length).toBe(waiting.items.length - SENDS_PER_PERSON);
    const gone = waiting.items.filter((m) => !after.items.some((a) => a.id === m.id));
    for (const message of gone) {
      expect((await call(0, `/v1/mailbox/${message.id}`, { as: jc })).status).toBe(410);
    }
  }, 60_000);

  it('keeps one gap-free audit sequence that audit verify accepts', async () => {
    const work = join(dir.path, 'dpo');
    // Laid out as demo keys are (<dir>/demo/<id>.key|.crt), so the same agent helper signs for it.
    mkdirSync(join(work, 'demo'), { recursive: true });
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: work });
    openssl(
      'genpkey',
      '-algorithm',
      'EC',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-out',
      'demo/dsb-instances.key',
    );
    openssl(
      'req',
      '-new',
      '-key',
      'demo/dsb-instances.key',
      '-subj',
      '/CN=dsb-instances',
      '-out',
      'dpo.csr',
    );
    const cli = await run(
      'cli/bin.mjs',
      [
        'principal',
        'add',
        '--tenant',
        'demo',
        '--id',
        'dsb-instances',
        '--role',
        'dpo',
        '--csr',
        join(work, 'dpo.csr'),
        '--out',
        join(work, 'demo', 'dsb-instances.crt'),
      ],
      { env: env('a') },
    );
    expect(cli.code, cli.stderr).toBe(0);
    const dpo = demoAgency(work, 'dsb-instances', PUBLIC_URL);
    const exported = await call(1, '/v1/audit/exports', { as: dpo, body: {} });
    expect(exported.status, await exported.clone().text()).toBe(200);
    const { bundle, signature } = (await exported.json()) as { bundle: string; signature: string };
    writeFileSync(join(work, 'bundle.json'), bundle);
    writeFileSync(join(work, 'bundle.json.asc'), signature);
    writeFileSync(
      join(work, 'jwks.json'),
      await (await call(0, '/.well-known/jwks.json', {})).text(),
    );
    writeFileSync(
      join(work, 'gateway.asc'),
      await (await call(0, '/.well-known/openpgp-key.asc', {})).text(),
    );
    const verified = await run('cli/bin.mjs', [
      'audit',
      'verify',
      join(work, 'bundle.json'),
      '--jwks',
      join(work, 'jwks.json'),
      '--openpgp-key',
      join(work, 'gateway.asc'),
    ]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    const seqs = (JSON.parse(bundle) as { entries: { seq: number }[] }).entries.map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i));
    const accepted = (JSON.parse(bundle) as { entries: { event: string }[] }).entries.filter(
      (e) => e.event === 'exchange.accepted',
    );
    expect(accepted).toHaveLength(PERSONS * SENDS_PER_PERSON);
  }, 120_000);
});
