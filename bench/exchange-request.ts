/**
 * The exchange every HTTP figure of the bench sends: the Jobcenter (jc-demo) sends the
 * immigration office (abh-demo) an `integration_plan.summary` of about 4 KiB, for labour-market
 * integration (policy rule `lmi.jc-to-abh`, category `employment_history`). The
 * `residence_status.notice` of the other benches caps its fields at about 1 KiB in all; the plan's
 * goals (up to 10 of 500 characters) admit 4 KiB within the connector's limits. Each message is
 * unique (its first goal names its number), so no cache on the gateway can answer it from an
 * earlier one.
 */
import { demoAgency } from '../test/support/demo-agency.ts';
import { PUBLIC_URL } from './gateway.ts';

export const SENDER = 'jc-demo';
export const RECIPIENT = 'abh-demo';
export const PURPOSE = 'labour_market_integration';
export const MESSAGE_TYPE = 'integration_plan.summary';
export const SUBJECT = { scheme: 'azr', value: '123456789012' } as const;
/** The size the message's JSON is filled to. */
export const MESSAGE_BYTES = 4096;

const GOAL =
  'Employment as a site engineer in a construction company in the region, after the ' +
  'recognition of the civil engineering degree and a vocational language course at level B2; ' +
  'the plan foresees a work trial of four weeks with a partner company, coaching for ' +
  'applications and regular meetings with the case manager every six weeks, with the next ' +
  'review of the goals after the language course has ended and the recognition procedure has ' +
  'come to a decision by the competent chamber. ';

/** The n-th message: valid for the connector, its JSON exactly {@link MESSAGE_BYTES} long. */
export function planMessage(n: number): object {
  const message = {
    plan: { kind: 'kooperationsplan', agreedOn: '2026-09-15', reviewBy: '2027-03-15' },
    goals: [] as string[],
    measures: [{ type: 'vocational_language_course', startDate: '2026-11-02' }],
  };
  message.goals.push(`Goal set ${String(n)}.`);
  for (;;) {
    const missing = MESSAGE_BYTES - JSON.stringify(message).length - 3; // `,""`
    if (missing <= 0) break;
    message.goals.push(GOAL.repeat(2).slice(0, Math.min(490, missing)).trim());
  }
  return message;
}

export interface PreparedRequest {
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Everything a send needs, made before it is sent: a fresh client assertion (unique jti, 2 min
 * lifetime), a freshly signed message and an Idempotency-Key.
 */
export function requestMaker(
  dataDir: string,
  idempotencyKey: () => string = () => crypto.randomUUID(),
) {
  const sender = demoAgency(dataDir, SENDER, PUBLIC_URL);
  let n = 0;
  return async (): Promise<PreparedRequest> => {
    const [token, payload] = await Promise.all([sender.token(), sender.sign(planMessage(n++))]);
    const body = JSON.stringify({
      recipient: RECIPIENT,
      subject: SUBJECT,
      purpose: PURPOSE,
      messageType: MESSAGE_TYPE,
      payload,
    });
    return {
      body,
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        'Content-Length': String(Buffer.byteLength(body)),
        'Idempotency-Key': idempotencyKey(),
      },
    };
  };
}

/** `count` requests from `make`, a few at a time. */
export async function prepare(
  make: () => Promise<PreparedRequest>,
  count: number,
): Promise<PreparedRequest[]> {
  const out: PreparedRequest[] = [];
  while (out.length < count) {
    const batch = Math.min(64, count - out.length);
    out.push(...(await Promise.all(Array.from({ length: batch }, make))));
  }
  return out;
}

/**
 * The person's consent the sends rest on: abh-demo asks, the person grants it in the portal.
 */
export async function grantConsent(dataDir: string, base: string): Promise<void> {
  const asker = demoAgency(dataDir, RECIPIENT, PUBLIC_URL);
  const asked = await fetch(`${base}/v1/consent-requests`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await asker.token()}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      subject: SUBJECT,
      senders: [SENDER],
      recipients: [RECIPIENT],
      purpose: PURPOSE,
      categories: ['employment_history'],
      validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      language: 'de',
      secondFactor: { type: 'birthDate', value: '1990-01-31' },
    }),
  });
  if (asked.status !== 201) throw new Error(`consent request: ${await asked.text()}`);
  const created = (await asked.json()) as { id: string; code: string };
  const session = await fetch(`${base}/v1/portal/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code: created.code, secondFactor: '1990-01-31' }),
  });
  const cookie = (session.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
  const granted = await fetch(`${base}/v1/portal/requests/${created.id}/grant`, {
    method: 'POST',
    headers: { Cookie: cookie },
  });
  if (granted.status !== 200) throw new Error(`grant: ${await granted.text()}`);
}
