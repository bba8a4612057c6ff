import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { GatewayError } from '../../core/index.ts';
import {
  acknowledgeMessage,
  ExchangeInput,
  fetchMessage,
  sendExchange,
  waitingMessages,
  type ExchangeDeps,
} from '../../exchange/index.ts';
import type { GatewayEnv } from '../env.ts';
import { problemDoc } from '../problem.ts';
import { authProblems } from './principals.ts';

const IdParam = z.object({ id: z.string().min(1).max(64) });

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
    409: problemDoc('`conflict`: Idempotency-Key reused with another body'),
    422: problemDoc('`validation_failed` or `fields_not_covered` (with `fields`)'),
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
      cursor: z.string().max(64).optional(),
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
    404: problemDoc('`not_found`'),
    410: problemDoc('`consent_revoked` / `consent_expired`: withheld and deleted'),
  },
});

const ackRoute = createRoute({
  method: 'post',
  path: '/v1/mailbox/{id}/ack',
  tags: ['Exchange'],
  summary: 'Confirm receipt; the gateway forgets the ciphertext',
  security: [{ clientAssertion: [] }],
  request: { params: IdParam },
  responses: {
    204: { description: 'Acknowledged' },
    ...authProblems,
    404: problemDoc('`not_found`'),
  },
});

export function registerExchangeRoutes(
  app: OpenAPIHono<GatewayEnv>,
  deps: { exchange: ExchangeDeps; agencies: MiddlewareHandler<GatewayEnv> },
): void {
  app.use('/v1/exchanges', deps.agencies);
  // '/v1/mailbox/*' matches '/v1/mailbox' too; registering both would authenticate twice.
  app.use('/v1/mailbox/*', deps.agencies);

  app.openapi(sendRoute, async (c) => {
    const key = c.req.valid('header')['idempotency-key'];
    const accepted = await sendExchange(deps.exchange, c.var.principal, c.req.valid('json'), key);
    return c.json(accepted, 201);
  });

  app.openapi(listRoute, async (c) => {
    const { cursor, limit = 100 } = c.req.valid('query');
    const page = await waitingMessages(deps.exchange, c.var.principal, cursor ?? '', limit + 1);
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
      { items, ...(page.length > limit && last ? { nextCursor: last.receivedAt } : {}) },
      200,
    );
  });

  app.openapi(fetchRoute, async (c) => {
    const message = await fetchMessage(deps.exchange, c.var.principal, c.req.valid('param').id);
    if (message.ciphertext === null)
      throw new GatewayError('not_found', { detail: 'no such message' });
    return c.json(
      { id: message.id, envelope: message.envelope, ciphertext: message.ciphertext },
      200,
    );
  });

  app.openapi(ackRoute, async (c) => {
    await acknowledgeMessage(deps.exchange, c.var.principal, c.req.valid('param').id);
    return c.body(null, 204);
  });
}
