import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { GatewayError, isGatewayError } from '../../core/index.ts';
import {
  acknowledgeMessage,
  ExchangeInput,
  fetchMessage,
  recordRefusedRequest,
  sendExchange,
  waitingMessages,
  type ExchangeDeps,
} from '../../exchange/index.ts';
import type { GatewayEnv } from '../env.ts';
import { answerWrongMethods } from '../error-handler.ts';
import { problemDoc } from '../problem.ts';
import { authProblems } from './principals.ts';

const IdParam = z.object({ id: z.string().min(1).max(64) });

/**
 * A mailbox page ends at a message and the next one starts after it in (receivedAt, id) order,
 * so messages received in the same millisecond are neither skipped nor repeated. The cursor is
 * `<receivedAt>~<id>`; a bare `<receivedAt>` (the cursor before this change) still reads, and may
 * repeat the message it ended at but never skips one.
 */
const MailboxCursor = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z(?:~[A-Za-z0-9_-]{1,64})?$/,
    'a nextCursor from an earlier page',
  )
  .transform((cursor) => {
    const [receivedAt = '', id = ''] = cursor.split('~');
    return { receivedAt, id };
  });
const cursorOf = (message: { receivedAt: string; id: string }) =>
  `${message.receivedAt}~${message.id}`;

const sendRoute = createRoute({
  method: 'post',
  path: '/v1/exchanges',
  tags: ['Exchange'],
  summary: 'Send a case message to another office',
  description:
    '`payload` is a compact JWS by the sender (its certificate key) over the message JSON of ' +
    '`messageType`. It passes only under a consent and a policy covering sender, recipient, ' +
    'purpose, every field’s category and the time; the gateway attests it, signs, encrypts it to ' +
    'the recipient and queues it. `Idempotency-Key` makes a retry answer the first result.',
  security: [{ clientAssertion: [] }],
  request: {
    headers: z.object({
      'idempotency-key': z
        .string()
        .min(1)
        .max(128)
        .regex(/^[\x21-\x7e]+$/)
        .optional(),
    }),
    body: { required: true, content: { 'application/json': { schema: ExchangeInput } } },
  },
  responses: {
    201: {
      description: 'Queued',
      content: {
        'application/json': {
          schema: z.object({
            id: z.string(),
            status: z.literal('queued'),
            consentId: z.string(),
            auditSeq: z.number().int(),
          }),
        },
      },
    },
    ...authProblems,
    403: problemDoc(
      '`consent_missing`: no consent of the person in force now covers sender, recipient and ' +
        'purpose (`reasons`, one per consent that names both offices: `consent_revoked`, ' +
        '`consent_expired`, `consent_not_yet_valid`; or `no_consent_for_purpose`, ' +
        '`parties_not_covered`); `policy_denied`: the policy has no rule for this flow (`reasons` name it); ' +
        '`forbidden`: the caller is not an agency. A send never answers `consent_revoked`: that ' +
        'code (410) is only for a withheld message',
    ),
    409: problemDoc(
      '`conflict`: the Idempotency-Key was used with another body, or the recipient has no ' +
        'valid certificate to encrypt to',
    ),
    422: problemDoc(
      '`fields_not_covered`: message fields whose category consent ∩ policy do not cover ' +
        '(listed in `fields`; a reason `categories_not_covered` names the consent in force that ' +
        'lacks them); `validation_failed`: the payload signature does not verify with ' +
        'the sender’s certificate, the message type is unknown or not the sender’s, the message ' +
        'does not fit its schema, or the recipient is no known agency (`errors` point at each)',
    ),
  },
});

const MetaSchema = z.object({
  id: z.string(),
  sender: z.string(),
  messageType: z.string(),
  purpose: z.string(),
  categories: z.array(z.string()),
  receivedAt: z.string(),
  envelope: z.enum(['jwe', 'openpgp']),
});

const listRoute = createRoute({
  method: 'get',
  path: '/v1/mailbox',
  tags: ['Exchange'],
  summary: 'Messages waiting for the caller (metadata only)',
  security: [{ clientAssertion: [] }],
  request: {
    query: z.object({
      cursor: MailboxCursor.optional(),
      limit: z.coerce.number().int().min(1).max(500).optional(),
    }),
  },
  responses: {
    200: {
      description: 'Oldest first',
      content: {
        'application/json': {
          schema: z.object({ items: z.array(MetaSchema), nextCursor: z.string().optional() }),
        },
      },
    },
    ...authProblems,
  },
});

const fetchRoute = createRoute({
  method: 'get',
  path: '/v1/mailbox/{id}',
  tags: ['Exchange'],
  summary: 'Fetch one message (the consent is checked again)',
  security: [{ clientAssertion: [] }],
  request: { params: IdParam },
  responses: {
    200: {
      description: 'The envelope: a JWE or OpenPGP message holding the gateway’s attestation JWS',
      content: {
        'application/json': {
          schema: z.object({
            id: z.string(),
            envelope: z.enum(['jwe', 'openpgp']),
            ciphertext: z.string(),
          }),
        },
      },
    },
    ...authProblems,
    403: problemDoc(
      '`consent_missing`: the message’s own consent is not in force at this instant (a reason ' +
        '`consent_not_yet_valid`; only where instances’ clocks differ); the message keeps ' +
        'waiting. `forbidden`: the caller is not an agency',
    ),
    404: problemDoc('`not_found`'),
    410: problemDoc(
      '`consent_revoked` / `consent_expired`: withheld and deleted, also when the revocation ' +
        'came while this fetch was under way; no ciphertext is handed out then',
    ),
  },
});

const ackRoute = createRoute({
  method: 'post',
  path: '/v1/mailbox/{id}/ack',
  tags: ['Exchange'],
  summary: 'Confirm receipt; the gateway forgets the ciphertext (idempotent)',
  security: [{ clientAssertion: [] }],
  request: { params: IdParam },
  responses: {
    204: {
      description:
        'Acknowledged. Idempotent: a repeat by the recipient answers 204 again (and audits nothing more)',
    },
    ...authProblems,
    404: problemDoc('`not_found`: no such message, or not the caller’s'),
    410: problemDoc(
      '`consent_revoked` / `consent_expired`: the message was withheld and deleted, for that reason',
    ),
  },
});

export function registerExchangeRoutes(
  app: OpenAPIHono<GatewayEnv>,
  deps: { exchange: ExchangeDeps; agencies: MiddlewareHandler<GatewayEnv> },
): void {
  app.use('/v1/exchanges', deps.agencies);
  // '/v1/mailbox/*' matches '/v1/mailbox' too; registering both would authenticate twice.
  app.use('/v1/mailbox/*', deps.agencies);

  // Requests the route's schema refuses never reach sendExchange, which audits its own refusals;
  // this audits them as well, so every refusal of an authenticated sender is in the log.
  const reachedPipeline = new WeakSet<Request>();
  app.post('/v1/exchanges', async function auditSchemaRefusals(c, next) {
    await next();
    const error = c.error;
    if (!isGatewayError(error) || reachedPipeline.has(c.req.raw)) return;
    await recordRefusedRequest(deps.exchange, c.var.principal, [error.code]);
  });

  app.openapi(sendRoute, async (c) => {
    reachedPipeline.add(c.req.raw);
    const key = c.req.valid('header')['idempotency-key'];
    const accepted = await sendExchange(deps.exchange, c.var.principal, c.req.valid('json'), key);
    return c.json(accepted, 201);
  });

  app.openapi(listRoute, async (c) => {
    const { cursor, limit = 100 } = c.req.valid('query');
    const page = await waitingMessages(deps.exchange, c.var.principal, cursor, limit + 1);
    const items = page.slice(0, limit).map((m) => ({
      id: m.id,
      sender: m.sender,
      messageType: m.messageType,
      purpose: m.purpose,
      categories: [...m.categories],
      receivedAt: m.receivedAt,
      envelope: m.envelope,
    }));
    const last = items.at(-1);
    return c.json(
      { items, ...(page.length > limit && last ? { nextCursor: cursorOf(last) } : {}) },
      200,
    );
  });

  app.openapi(fetchRoute, async (c) => {
    const message = await fetchMessage(deps.exchange, c.var.principal, c.req.valid('param').id);
    if (message.ciphertext === null)
      throw new GatewayError('not_found', { detail: 'no such message' });
    c.set('fetchedAgain', message.state === 'delivered');
    return c.json(
      { id: message.id, envelope: message.envelope, ciphertext: message.ciphertext },
      200,
    );
  });

  app.openapi(ackRoute, async (c) => {
    await acknowledgeMessage(deps.exchange, c.var.principal, c.req.valid('param').id);
    return c.body(null, 204);
  });

  answerWrongMethods(
    app,
    [sendRoute, listRoute, fetchRoute, ackRoute].map((r) => r.getRoutingPath()),
  );
}
