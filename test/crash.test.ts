import * as x509 from '@peculiar/x509';
import Database from 'better-sqlite3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoAgency } from './support/demo-agency.ts';
import { randomMasterKeyHex } from './support/pki.ts';
import { run, type GatewayProcess } from './support/process.ts';
import { startTrackedGateway, stopWithin } from './support/stalled-process.ts';
import { tempDir } from './support/temp.ts';

/**
 * Crash test: a client sends exchanges (each with its own Idempotency-Key) and consent grants to
 * the real gateway process while that process is SIGKILLed at random moments and restarted on the
 * same data dir. Unanswered requests are retried (the same body, the same key) until they get an
 * answer. Afterwards nothing the client was told is lost, nothing is duplicated, no grant is
 * half-written, and the audit log verifies with `consent-gateway audit verify`.
 *
 * Seeded: `CRASH_SEED=<n>` repeats a run's kill points and pauses (the seed is printed), though not
 * how the machine's timing interleaves the client's requests with them.
 */
const SEED = Number(process.env['CRASH_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const EXCHANGES = 150;
const GRANTS = 10;
const KILLS = 5;
const WORKERS = 4;
/**
 * The whole client phase, kills and restarts included, ends by then or the test fails. Most of it
 * is the restarts (`node --import tsx` takes 2–10 s to listen, by the machine's load). A guard
 * against a client that hangs, not a speed target: about a minute on an idle machine, but over
 * 100 s with two busy-loop processes and a browser suite beside it on 2 cores. The test's own
 * limit (300 s, at its end) leaves room for the set-up and the checks after it.
 */
const CLIENT_BUDGET_MS = 200_000;
const AUD = 'http://gateway.crash.test';
const SUBJECT = { scheme: 'azr', value: '100000000000' };

/** mulberry32: a small seeded PRNG, enough to repeat a run's kill points and pauses. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const dir = tempDir('cgw-crash-');
const data = join(dir.path, 'data');
const env = {
  GATEWAY_DATA_DIR: data,
  GATEWAY_MASTER_KEY: randomMasterKeyHex(),
  GATEWAY_PUBLIC_URL: AUD,
  GATEWAY_RATE_LIMIT: '100000/s',
};
let gw: GatewayProcess | undefined;

afterAll(async () => {
  if (gw) await stopWithin(gw);
  dir.remove();
});

/** Registers a DPO with the CLI (beside the running gateway), its key kept under `<dir>/dpo/demo`. */
async function registerDpo(id: string): Promise<void> {
  const keysDir = join(dir.path, 'dpo', 'demo');
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${id}`,
    keys,
    signingAlgorithm: algorithm,
  });
  writeFileSync(join(keysDir, `${id}.csr`), csr.toString('pem'));
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', keys.privateKey)).toString(
    'base64',
  );
  writeFileSync(
    join(keysDir, `${id}.key`),
    `-----BEGIN PRIVATE KEY-----\n${pkcs8.replace(/(.{64})(?!$)/g, '$1\n')}\n-----END PRIVATE KEY-----\n`,
    { mode: 0o600 },
  );
  const added = await run(
    'cli/bin.mjs',
    [
      'principal',
      'add',
      '--tenant',
      'demo',
      '--id',
      id,
      '--role',
      'dpo',
      '--csr',
      join(keysDir, `${id}.csr`),
      '--out',
      join(keysDir, `${id}.crt`),
    ],
    { env: { GATEWAY_DATA_DIR: data, GATEWAY_MASTER_KEY: env.GATEWAY_MASTER_KEY } },
  );
  expect(added.code, added.stderr).toBe(0);
}

describe(`crash test: SIGKILL at random moments while a client sends and grants (seed ${String(SEED)}, CRASH_SEED=${String(SEED)} repeats it)`, () => {
  it('loses no accepted exchange, duplicates none, half-writes no grant, and the audit log verifies', async () => {
    const random = prng(SEED + 1); // retry pauses
    const killRandom = prng(SEED); // kill points and the pause before each kill
    const started = Date.now();
    const deadline = started + CLIENT_BUDGET_MS;
    gw = await startTrackedGateway(env);
    const abh = demoAgency(data, 'abh-demo', AUD);
    const jc = demoAgency(data, 'jc-demo', AUD);
    await registerDpo('dsb-crash');
    const dpo = demoAgency(join(dir.path, 'dpo'), 'dsb-crash', AUD);

    let restarting: Promise<void> = Promise.resolve();
    const stats = { retries: 0, serverErrors: [] as string[] };

    /**
     * One request until it gets an answer: a refused connection, a reset, a timeout or a 5xx (the
     * process was killed or is starting) is retried with the same body after the restart. A fresh
     * client assertion each time (jti is single-use).
     */
    async function call(
      path: string,
      init: { method?: string; body?: string; headers?: Record<string, string> },
      as?: ReturnType<typeof demoAgency>,
    ): Promise<{ status: number; body: unknown; retried: boolean }> {
      let retried = false;
      for (;;) {
        if (Date.now() > deadline) throw new Error(`no answer to ${path} within the budget`);
        await restarting;
        const current = gw;
        if (!current) throw new Error('no gateway');
        const headers: Record<string, string> = { ...init.headers };
        if (as) headers['Authorization'] = `Bearer ${await as.token()}`;
        if (init.body !== undefined) headers['Content-Type'] = 'application/json';
        try {
          const res = await fetch(`${current.baseUrl}${path}`, {
            method: init.method ?? 'GET',
            headers,
            ...(init.body === undefined ? {} : { body: init.body }),
            signal: AbortSignal.timeout(10_000),
          });
          const text = await res.text();
          if (res.status >= 500) {
            stats.serverErrors.push(`${init.method ?? 'GET'} ${path}: ${res.status} ${text}`);
            throw new Error('5xx');
          }
          const contentType = res.headers.get('content-type') ?? '';
          return {
            status: res.status,
            body: contentType.includes('json') && text ? (JSON.parse(text) as unknown) : text,
            retried,
          };
        } catch {
          retried = true;
          stats.retries++;
          await sleep(25 + random() * 75);
        }
      }
    }

    // A consent that covers the exchanges, granted before any kill.
    const requestBody = (value: string) =>
      JSON.stringify({
        subject: { scheme: 'azr', value },
        senders: ['abh-demo'],
        recipients: ['jc-demo'],
        purpose: 'labour_market_integration',
        categories: ['residence_status', 'employment_permission'],
        validUntil: new Date(Date.now() + 180 * 86_400_000).toISOString(),
        language: 'de',
        secondFactor: { type: 'birthDate', value: '1990-01-31' },
      });

    const grantsSeen = new Map<string, string>(); // subject value → consent id the client learned
    /** A full grant: request (jc-demo), the person signs in with the code and grants. */
    async function grantRound(value: string): Promise<void> {
      const created = await call(
        '/v1/consent-requests',
        { method: 'POST', body: requestBody(value) },
        jc,
      );
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const { id, code } = created.body as { id: string; code: string };
      // A sign-in, answered or not, does not spend the code: a retry signs in again.
      const session = await fetchSession(code);
      expect(session.status, session.text).toBe(201);
      const cookie = session.cookie;
      const granted = await call(
        `/v1/portal/requests/${id}/grant`,
        { method: 'POST', headers: { Cookie: cookie } },
        undefined,
      );
      if (granted.status === 200) {
        grantsSeen.set(value, (granted.body as { consent: { id: string } }).consent.id);
        return;
      }
      // Only a retry may find its grant done already (the answer was lost with the process).
      expect(
        granted.retried,
        `grant answered ${granted.status}: ${JSON.stringify(granted.body)}`,
      ).toBe(true);
      expect([409, 410]).toContain(granted.status);
      const listed = await call(
        `/v1/consents?subject.scheme=azr&subject.value=${value}`,
        { method: 'GET' },
        jc,
      );
      expect(listed.status).toBe(200);
      const items = (listed.body as { items: { id: string }[] }).items;
      expect(items, `consents for ${value} after a lost grant answer`).toHaveLength(1);
      grantsSeen.set(value, items[0]?.id ?? '');
    }
    /** Portal sign-in, retried until answered; answers its status and session cookie. */
    async function fetchSession(
      code: string,
    ): Promise<{ status: number; cookie: string; text: string }> {
      for (;;) {
        if (Date.now() > deadline) throw new Error('no answer to the sign-in within the budget');
        await restarting;
        const current = gw;
        if (!current) throw new Error('no gateway');
        try {
          const res = await fetch(`${current.baseUrl}/v1/portal/session`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ code, secondFactor: '1990-01-31' }),
            signal: AbortSignal.timeout(10_000),
          });
          const text = await res.text();
          if (res.status >= 500) {
            stats.serverErrors.push(`POST /v1/portal/session: ${res.status} ${text}`);
            throw new Error('5xx');
          }
          const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
          return { status: res.status, cookie, text };
        } catch {
          stats.retries++;
          await sleep(25 + random() * 75);
        }
      }
    }

    await grantRound(SUBJECT.value);

    // The exchanges: each signed once, so that a retry sends the very same body under its key.
    const message = {
      residenceTitle: { kind: 'duldung', legalBasis: '§ 60a AufenthG', validUntil: '2027-03-31' },
      employmentPermission: { allowed: true, conditions: 'Beschäftigung erlaubt' },
    };
    const accepted = new Map<string, string>(); // Idempotency-Key → exchange id the client saw
    async function exchange(i: number): Promise<void> {
      const key = `crash-${SEED}-${i}`;
      const body = JSON.stringify({
        recipient: 'jc-demo',
        subject: SUBJECT,
        purpose: 'labour_market_integration',
        messageType: 'residence_status.notice',
        payload: await abh.sign({
          ...message,
          employmentPermission: { allowed: true, conditions: `#${i}` },
        }),
      });
      const sent = await call(
        '/v1/exchanges',
        { method: 'POST', body, headers: { 'Idempotency-Key': key } },
        abh,
      );
      expect(sent.status, `${key}: ${JSON.stringify(sent.body)}`).toBe(201);
      accepted.set(key, (sent.body as { id: string }).id);
    }

    // The work: exchanges with a grant round every so often, taken by a few workers in parallel.
    type Op = { kind: 'exchange'; i: number } | { kind: 'grant'; value: string };
    const ops: Op[] = [];
    for (let i = 0; i < EXCHANGES; i++) {
      ops.push({ kind: 'exchange', i });
      if (
        i % Math.floor(EXCHANGES / GRANTS) === 7 &&
        ops.filter((o) => o.kind === 'grant').length < GRANTS
      )
        ops.push({ kind: 'grant', value: String(200000000000 + i) });
    }
    let next = 0;
    let begun = 0;
    const worker = async () => {
      for (;;) {
        const op = ops[next++];
        if (!op) return;
        begun++;
        if (op.kind === 'exchange') await exchange(op.i);
        else await grantRound(op.value);
      }
    };

    // Kill points: after how many begun operations, plus a random pause of up to 40 ms.
    const points = new Set<number>();
    while (points.size < KILLS) points.add(10 + Math.floor(killRandom() * (ops.length - 30)));
    const killAt = [...points].sort((a, b) => a - b);
    const kills: { afterOps: number; restartMs: number }[] = [];
    const killer = async () => {
      for (const point of killAt) {
        while (begun < point) {
          if (Date.now() > deadline) throw new Error('the client stalled before a kill point');
          await sleep(2);
        }
        await sleep(killRandom() * 40);
        const victim = gw;
        if (!victim) throw new Error('no gateway');
        let done!: () => void;
        restarting = new Promise((resolve) => (done = resolve));
        const t0 = Date.now();
        try {
          await victim.stop('SIGKILL');
          expect(victim.child.signalCode).toBe('SIGKILL');
          // Right away, on the same data dir: the lock died with the process.
          gw = await startTrackedGateway(env);
          kills.push({ afterOps: begun, restartMs: Date.now() - t0 });
        } finally {
          done();
        }
      }
    };
    await Promise.all([killer(), ...Array.from({ length: WORKERS }, worker)]);
    const clientMs = Date.now() - started;
    process.stdout.write(
      `crash test (seed ${String(SEED)}): ${accepted.size} exchanges, ${grantsSeen.size} grants, ${kills.length} kills ` +
        `(after ops ${kills.map((k) => k.afterOps).join(', ')}; restarts ${kills.map((k) => k.restartMs).join(', ')} ms), ` +
        `${stats.retries} retries, ${stats.serverErrors.length} 5xx answers, client phase ${clientMs} ms\n`,
    );
    expect(kills.length).toBeGreaterThanOrEqual(5);
    expect(accepted.size).toBe(EXCHANGES);
    expect(grantsSeen.size).toBe(GRANTS + 1);
    expect(new Set(accepted.values()).size, 'one exchange id per Idempotency-Key').toBe(EXCHANGES);
    expect(stats.serverErrors, 'no 5xx answers').toEqual([]);

    // The audit log verifies offline: an export by the DPO, checked with the CLI.
    const exported = await call('/v1/audit/exports', { method: 'POST', body: '{}' }, dpo);
    expect(exported.status, JSON.stringify(exported.body)).toBe(200);
    const current = gw;
    const exportDir = join(dir.path, 'export');
    mkdirSync(exportDir, { mode: 0o700 });
    const file = (name: string) => join(exportDir, name);
    writeFileSync(file('export.json'), JSON.stringify(exported.body));
    writeFileSync(
      file('jwks.json'),
      await (await fetch(`${current.baseUrl}/.well-known/jwks.json`)).text(),
    );
    writeFileSync(
      file('gateway.asc'),
      await (await fetch(`${current.baseUrl}/.well-known/openpgp-key.asc`)).text(),
    );
    const stopped = await stopWithin(current);
    gw = undefined;
    expect(stopped).toEqual({ code: 0, killed: false });
    const verified = await run('cli/bin.mjs', [
      'audit',
      'verify',
      file('export.json'),
      '--jwks',
      file('jwks.json'),
      '--openpgp-key',
      file('gateway.asc'),
    ]);
    expect(verified.code, verified.stderr + verified.stdout).toBe(0);
    const bundleSize = Number(/verified: (\d+) entries/.exec(verified.stdout)?.[1]);

    // The database, read-only, after the last gateway stopped.
    const db = new Database(join(data, 'gateway.db'), { readonly: true, fileMustExist: true });
    try {
      const all = (sql: string, ...params: unknown[]): unknown[] => db.prepare(sql).all(...params);
      const count = (sql: string, ...params: unknown[]): number =>
        Number(
          db
            .prepare(sql)
            .pluck()
            .get(...params),
        );

      // Every accepted exchange is in the mailbox exactly once, and nothing else is.
      const mailbox = (
        all(
          "SELECT id FROM mailbox_messages WHERE tenant_id = 'demo' AND sender = 'abh-demo' AND recipient = 'jc-demo'",
        ) as { id: string }[]
      ).map((r) => r.id);
      expect(mailbox).toHaveLength(EXCHANGES);
      expect(new Set(mailbox)).toEqual(new Set(accepted.values()));
      const keys = all(
        "SELECT key, response FROM idempotency_keys WHERE tenant_id = 'demo' AND sender = 'abh-demo'",
      ) as { key: string; response: string }[];
      expect(keys).toHaveLength(EXCHANGES);
      for (const { key, response } of keys)
        expect((JSON.parse(response) as { id: string }).id, key).toBe(accepted.get(key));

      // Each has exactly one exchange.accepted audit entry, and there are no others.
      const acceptedEntries = all(
        "SELECT json_extract(entry, '$.exchangeId') AS exchangeId, count(*) AS n FROM audit_entries " +
          "WHERE tenant_id = 'demo' AND event = 'exchange.accepted' GROUP BY exchangeId",
      ) as { exchangeId: string; n: number }[];
      expect(acceptedEntries).toHaveLength(EXCHANGES);
      for (const { exchangeId, n } of acceptedEntries) {
        expect(accepted.has(keyOf(exchangeId)), exchangeId).toBe(true);
        expect(n, exchangeId).toBe(1);
      }

      // No grant is half-written.
      const approved = (
        all(
          "SELECT ref_id FROM consent_versions WHERE kind = 'request' AND state = 'approved'",
        ) as { ref_id: string }[]
      ).map((r) => r.ref_id);
      const consents = all('SELECT id, request_id FROM consents') as {
        id: string;
        request_id: string;
      }[];
      expect(consents).toHaveLength(GRANTS + 1);
      expect(new Set(consents.map((c) => c.request_id))).toEqual(new Set(approved));
      expect(approved).toHaveLength(consents.length);
      expect(new Set(consents.map((c) => c.id))).toEqual(new Set(grantsSeen.values()));
      for (const c of consents) {
        expect(
          all("SELECT state FROM consent_versions WHERE kind = 'consent' AND ref_id = ?", c.id),
          c.id,
        ).toEqual([{ state: 'active' }]);
        expect(
          count(
            "SELECT count(*) FROM audit_entries WHERE event = 'consent.granted' AND json_extract(entry, '$.consentId') = ?",
            c.id,
          ),
          `consent.granted for ${c.id}`,
        ).toBe(1);
        expect(
          count('SELECT count(*) FROM consent_parties WHERE ref_id = ?', c.id),
          `parties of ${c.id}`,
        ).toBeGreaterThan(0);
      }
      expect(count("SELECT count(*) FROM audit_entries WHERE event = 'consent.granted'")).toBe(
        consents.length,
      );

      // The log is one gapless sequence, its stored tree as long as the log.
      const logSize = count("SELECT count(*) FROM audit_entries WHERE tenant_id = 'demo'");
      expect(count("SELECT max(seq) FROM audit_entries WHERE tenant_id = 'demo'")).toBe(
        logSize - 1,
      );
      expect(count("SELECT size FROM audit_heads WHERE tenant_id = 'demo'")).toBe(logSize);
      // The export held every entry up to itself; only its own audit.exported entry came after.
      expect(bundleSize).toBeGreaterThanOrEqual(logSize - 1);
    } finally {
      db.close();
    }

    function keyOf(exchangeId: string): string {
      for (const [key, id] of accepted) if (id === exchangeId) return key;
      return '';
    }
  }, 300_000);
});
