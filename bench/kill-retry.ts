/**
 * A short kill-and-retry round: `sends` exchanges, each with its own Idempotency-Key, go to a
 * gateway process; once half have been answered it is killed with SIGKILL while the rest are in
 * flight. A new gateway starts on the same data dir, and every send that did not get a 201 is
 * sent again with the same key and the same signed body (only the client assertion is fresh, as
 * its jti was spent), until each has a 201 or three rounds have passed. Then the mailbox rows are
 * counted against the ids the 201s named: lost (a send without a 201, or a 201 whose message is
 * not stored) plus duplicated (stored messages no 201 named). Reported, not asserted.
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { demoAgency } from '../test/support/demo-agency.ts';
import {
  grantConsent,
  MESSAGE_TYPE,
  planMessage,
  PURPOSE,
  RECIPIENT,
  SENDER,
  SUBJECT,
} from './exchange-request.ts';
import { PUBLIC_URL, startGateway, type GatewayInstance } from './gateway.ts';

export interface KillRetry {
  readonly sends: number;
  readonly answeredBeforeKill: number;
  readonly retried: number;
  readonly lost: number;
  readonly duplicated: number;
}

interface Send {
  readonly key: string;
  readonly body: string;
  id?: string;
}

/** POSTs one send with a fresh assertion; records the id of a 201. */
async function post(gateway: GatewayInstance, send: Send, token: string): Promise<void> {
  try {
    const res = await fetch(`${gateway.baseUrl}/v1/exchanges`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        'Idempotency-Key': send.key,
      },
      body: send.body,
    });
    const answer = (await res.json()) as { id?: string };
    if (res.status === 201 && typeof answer.id === 'string') send.id = answer.id;
  } catch {
    // Killed under it: the send is retried.
  }
}

async function prepareSends(dataDir: string, count: number): Promise<Send[]> {
  const sender = demoAgency(dataDir, SENDER, PUBLIC_URL);
  return Promise.all(
    Array.from({ length: count }, async (_, i) => ({
      key: `kill-retry-${String(i)}`,
      body: JSON.stringify({
        recipient: RECIPIENT,
        subject: SUBJECT,
        purpose: PURPOSE,
        messageType: MESSAGE_TYPE,
        payload: await sender.sign(planMessage(i)),
      }),
    })),
  );
}

/** Sends `pending` 8 at a time; calls `onAnswered` after each answer. */
async function sendAll(
  gateway: GatewayInstance,
  dataDir: string,
  pending: Send[],
  onAnswered: (answered: number) => void = () => undefined,
): Promise<void> {
  const sender = demoAgency(dataDir, SENDER, PUBLIC_URL);
  const tokens = await Promise.all(pending.map(() => sender.token()));
  let next = 0;
  let answered = 0;
  const client = async () => {
    for (let i = next++; i < pending.length; i = next++) {
      const send = pending[i];
      if (send) await post(gateway, send, tokens[i] ?? '');
      onAnswered(++answered);
    }
  };
  await Promise.all(Array.from({ length: 8 }, client));
}

export async function measureKillAndRetry(dataRoot: string, sends: number): Promise<KillRetry> {
  const dataDir = join(dataRoot, 'kill-retry');
  const masterKey = randomBytes(32).toString('hex');
  let gateway = await startGateway(dataDir, masterKey);
  await grantConsent(dataDir, gateway.baseUrl);
  const all = await prepareSends(dataDir, sends);
  let killed: Promise<void> | undefined;
  let answeredBeforeKill = 0;
  await sendAll(gateway, dataDir, all, (answered) => {
    if (killed === undefined && answered >= sends / 2) {
      answeredBeforeKill = answered;
      killed = gateway.kill();
    }
  });
  await killed;
  const retried = all.filter((s) => s.id === undefined).length;
  gateway = await startGateway(dataDir, masterKey);
  try {
    for (let round = 0; round < 3; round++) {
      const pending = all.filter((s) => s.id === undefined);
      if (pending.length === 0) break;
      await sendAll(gateway, dataDir, pending);
    }
  } finally {
    await gateway.stop();
  }
  const db = new Database(join(dataDir, 'gateway.db'), { readonly: true });
  const stored = new Set(
    db
      .prepare<[], { id: string }>('SELECT id FROM mailbox_messages')
      .all()
      .map((row) => row.id),
  );
  db.close();
  const named = new Set(all.flatMap((s) => (s.id === undefined ? [] : [s.id])));
  const lost =
    all.filter((s) => s.id === undefined).length +
    [...named].filter((id) => !stored.has(id)).length;
  const duplicated = [...stored].filter((id) => !named.has(id)).length;
  return { sends, answeredBeforeKill, retried, lost, duplicated };
}
