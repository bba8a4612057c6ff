import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import {
  buildBundle,
  consistencyProof,
  currentHead,
  inclusionProof,
  toBase64,
  type AuditLog,
  type AuditStore,
} from '../../audit/index.ts';
import { signDetachedAsTenant, type GatewaySigner, type PkiStore } from '../../certs/index.ts';
import { ASSURANCE_LEVELS, CHANNELS } from '../../consent/index.ts';
import { GatewayError, type Clock } from '../../core/index.ts';
import type { GatewayEnv } from '../env.ts';
import { problemDoc } from '../problem.ts';
import { authProblems } from './principals.ts';

export const TREE_HEAD_TYP = 'tree-head+jwt';

const Seq = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const entriesRoute = createRoute({
  method: 'get',
  path: '/v1/audit/entries',
  tags: ['Audit'],
  summary: 'Search the audit log (DPO), oldest first, paged',
  description:
    'Each entry is the JSON object whose RFC 8785 canonical form is hashed into the tree as ' +
    'SHA-256(0x00 ‖ JSON). Reading is itself recorded (`audit.read`).',
  security: [{ clientAssertion: [] }],
  request: {
    query: z.object({
      from: z.iso.datetime({ offset: true }).optional(),
      to: z.iso.datetime({ offset: true }).optional(),
      agency: z.string().max(63).optional(),
      event: z.string().max(40).optional(),
      channel: z.enum(CHANNELS).optional().openapi({
        description: 'only acts on consents made through this channel',
      }),
      assurance: z.enum(ASSURANCE_LEVELS).optional().openapi({
        description: 'only acts on consents made at this assurance level',
      }),
      cursor: z
        .string()
        .regex(/^\d{1,15}$/)
        .optional(),
      limit: z.coerce.number().int().min(1).max(1000).optional(),
    }),
  },
  responses: {
    200: {
      description: 'A page of entries',
      content: {
        'application/json': {
          schema: z.object({
            items: z.array(z.record(z.string(), z.unknown())),
            nextCursor: z.string().optional(),
          }),
        },
      },
    },
    ...authProblems,
  },
});

const treeHeadRoute = createRoute({
  method: 'get',
  path: '/v1/audit/tree-head',
  tags: ['Audit'],
  summary: 'The latest signed tree head (DPO)',
  description:
    'A compact JWS by the gateway (key in the JWKS) over `{ treeSize, rootHash, timestamp }`. ' +
    'Reading is itself recorded (`audit.read`), and the head served already includes that entry.',
  security: [{ clientAssertion: [] }],
  responses: {
    200: {
      description: 'Signed tree head',
      content: {
        'application/json': {
          schema: z.object({
            treeSize: z.number().int(),
            rootHash: z.string(),
            timestamp: z.string(),
            jws: z.string(),
          }),
        },
      },
    },
    ...authProblems,
  },
});

const inclusionRoute = createRoute({
  method: 'get',
  path: '/v1/audit/proofs/inclusion',
  tags: ['Audit'],
  summary: 'RFC 9162 inclusion proof of entry `seq` in the tree of size `treeSize` (DPO)',
  description:
    '`treeSize` may be at most the log size before this request. Reading is itself recorded ' +
    '(`audit.read`), after the proof is computed.',
  security: [{ clientAssertion: [] }],
  request: { query: z.object({ seq: Seq, treeSize: Seq }) },
  responses: {
    200: {
      description: 'Audit path, base64 hashes in RFC 9162 order',
      content: {
        'application/json': {
          schema: z.object({
            seq: z.number().int(),
            treeSize: z.number().int(),
            leafHash: z.string(),
            proof: z.array(z.string()),
          }),
        },
      },
    },
    ...authProblems,
    422: problemDoc('`validation_failed`: seq or treeSize out of range'),
  },
});

const consistencyRoute = createRoute({
  method: 'get',
  path: '/v1/audit/proofs/consistency',
  tags: ['Audit'],
  summary: 'RFC 9162 consistency proof between two tree sizes (DPO)',
  description:
    '`to` may be at most the log size before this request. Reading is itself recorded ' +
    '(`audit.read`), after the proof is computed.',
  security: [{ clientAssertion: [] }],
  request: { query: z.object({ from: Seq, to: Seq }) },
  responses: {
    200: {
      description: 'Consistency proof, base64 hashes in RFC 9162 order',
      content: {
        'application/json': {
          schema: z.object({
            from: z.number().int(),
            to: z.number().int(),
            proof: z.array(z.string()),
          }),
        },
      },
    },
    ...authProblems,
    422: problemDoc('`validation_failed`: sizes out of range'),
  },
});

const exportRoute = createRoute({
  method: 'post',
  path: '/v1/audit/exports',
  tags: ['Audit'],
  summary: 'Export entries with proofs and a detached OpenPGP signature (DPO)',
  description:
    '`bundle` is the bundle as JSON text (entries, signed tree head, one inclusion proof per ' +
    'entry, the JWKS and the OpenPGP key); `signature` an armored detached OpenPGP signature over ' +
    'its UTF-8 bytes. Check it with `gpg --verify` and `consent-gateway audit verify`.',
  security: [{ clientAssertion: [] }],
  request: {
    body: {
      required: false,
      content: {
        'application/json': {
          schema: z.strictObject({
            from: z.iso.datetime({ offset: true }).optional(),
            to: z.iso.datetime({ offset: true }).optional(),
          }),
        },
      },
    },
  },
  responses: {
    200: {
      description: 'Bundle and signature',
      content: {
        'application/json': { schema: z.object({ bundle: z.string(), signature: z.string() }) },
      },
    },
    ...authProblems,
  },
});

export interface AuditRouteDeps {
  readonly pki: PkiStore;
  readonly masterKey: CryptoKey;
  readonly store: AuditStore;
  readonly log: AuditLog;
  readonly signer: GatewaySigner;
  readonly clock: Clock;
  readonly dpo: MiddlewareHandler<GatewayEnv>;
}

/** The DPO's view of the log: search, signed tree head, inclusion and consistency proofs. */
export function registerAuditRoutes(app: OpenAPIHono<GatewayEnv>, deps: AuditRouteDeps): void {
  app.use('/v1/audit/*', deps.dpo);
  const tree = (tenantId: string) => ({
    getNode: (level: number, index: number) => deps.store.getNode(tenantId, level, index),
  });
  const sizeOf = async (tenantId: string) => (await deps.store.head(tenantId))?.size ?? 0;
  /**
   * Issue 6: every read is itself an entry, naming the DPO and what was read. Recorded before the
   * answer leaves, so an answer never goes out unrecorded (if the append fails, the read fails).
   */
  const recordRead = (principal: { tenantId: string; id: string }, what: string) =>
    deps.log.append(principal.tenantId, {
      event: 'audit.read',
      actor: principal.id,
      outcome: 'ok',
      reasons: [what],
    });

  app.openapi(entriesRoute, async (c) => {
    const { tenantId } = c.var.principal;
    const q = c.req.valid('query');
    const limit = q.limit ?? 100;
    const items = await deps.store.entries(tenantId, {
      afterSeq: q.cursor === undefined ? -1 : Number(q.cursor),
      limit: limit + 1,
      ...(q.from === undefined ? {} : { from: new Date(q.from).toISOString() }),
      ...(q.to === undefined ? {} : { to: new Date(q.to).toISOString() }),
      ...(q.agency === undefined ? {} : { agency: q.agency }),
      ...(q.event === undefined ? {} : { event: q.event }),
      ...(q.channel === undefined ? {} : { channel: q.channel }),
      ...(q.assurance === undefined ? {} : { assurance: q.assurance }),
    });
    const filters = (['from', 'to', 'agency', 'event', 'channel', 'assurance', 'cursor'] as const)
      .filter((key) => q[key] !== undefined)
      .map((key) => ` ${key}=${q[key] ?? ''}`)
      .join('');
    await recordRead(c.var.principal, `audit entries${filters}`);
    const page = items.slice(0, limit);
    const last = page.at(-1);
    return c.json(
      {
        items: page as unknown as Record<string, unknown>[],
        ...(items.length > limit && last ? { nextCursor: String(last.seq) } : {}),
      },
      200,
    );
  });

  app.openapi(treeHeadRoute, async (c) => {
    const { tenantId } = c.var.principal;
    // Record first, then sign: the DPO gets the latest head, and it already covers the record of
    // this very read, which they can prove included. Signing first would hand out a head that is
    // stale by one entry the moment it is served, and a read that no served head accounts for.
    await recordRead(c.var.principal, 'tree head');
    const current = await currentHead(deps.store, tenantId);
    const head = {
      treeSize: current.size,
      rootHash: toBase64(current.root),
      timestamp: deps.clock.now().toISOString(),
    };
    const jws = await deps.signer.sign(tenantId, head, TREE_HEAD_TYP);
    return c.json({ ...head, jws }, 200);
  });

  app.openapi(exportRoute, async (c) => {
    const { tenantId, id } = c.var.principal;
    const body = c.req.valid('json') as { from?: string; to?: string } | undefined;
    const range = {
      ...(body?.from === undefined ? {} : { from: new Date(body.from).toISOString() }),
      ...(body?.to === undefined ? {} : { to: new Date(body.to).toISOString() }),
    };
    const [openpgp] = await deps.pki.keys(tenantId, 'openpgp');
    const bundle = await buildBundle({
      store: deps.store,
      tenantId,
      range,
      now: deps.clock.now().toISOString(),
      signTreeHead: (head) => deps.signer.sign(tenantId, head, TREE_HEAD_TYP),
      jwks: {
        keys: (await deps.pki.keys(tenantId, 'signing')).map(
          (k) => JSON.parse(k.publicMaterial) as Record<string, string>,
        ),
      },
      openpgpKey: openpgp?.publicMaterial ?? '',
    });
    const text = JSON.stringify(bundle);
    const { signature } = await signDetachedAsTenant(deps, tenantId, text);
    await deps.log.append(tenantId, { event: 'audit.exported', actor: id, outcome: 'ok' });
    return c.json({ bundle: text, signature }, 200);
  });

  app.openapi(inclusionRoute, async (c) => {
    const { tenantId } = c.var.principal;
    const { seq, treeSize } = c.req.valid('query');
    if (treeSize > (await sizeOf(tenantId)) || seq >= treeSize) {
      throw new GatewayError('validation_failed', {
        errors: [
          {
            path: '/seq',
            message: 'seq must be below treeSize, and treeSize at most the log size',
            in: 'query',
          },
        ],
      });
    }
    // Sizes are checked against the log before this read is recorded; appending never changes
    // the nodes of a tree of an earlier size, so the proof holds whatever is appended next.
    const proof = await inclusionProof(tree(tenantId), seq, treeSize);
    const leaf = await deps.store.getNode(tenantId, 0, seq);
    await recordRead(
      c.var.principal,
      `inclusion proof seq=${String(seq)} treeSize=${String(treeSize)}`,
    );
    return c.json(
      { seq, treeSize, leafHash: leaf ? toBase64(leaf) : '', proof: proof.map(toBase64) },
      200,
    );
  });

  app.openapi(consistencyRoute, async (c) => {
    const { tenantId } = c.var.principal;
    const { from, to } = c.req.valid('query');
    if (to > (await sizeOf(tenantId)) || from > to) {
      throw new GatewayError('validation_failed', {
        errors: [{ path: '/to', message: 'need from ≤ to ≤ the log size', in: 'query' }],
      });
    }
    const proof = await consistencyProof(tree(tenantId), from, to);
    await recordRead(c.var.principal, `consistency proof from=${String(from)} to=${String(to)}`);
    return c.json({ from, to, proof: proof.map(toBase64) }, 200);
  });
}
