import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { AGENCY_TYPES } from '../../certs/index.ts';
import { catalogue } from '../../connectors/index.ts';
import { DATA_CATEGORIES } from '../../policies/index.ts';
import type { GatewayEnv } from '../env.ts';
import { overloadedProblem } from '../problem.ts';

const CatalogueFieldSchema = z.object({
  name: z.string().openapi({ example: 'residenceTitle' }),
  category: z.enum(DATA_CATEGORIES).openapi({
    description: 'The data category a consent must cover for the message to carry this field',
  }),
  required: z.boolean(),
  description: z.string(),
});

const CatalogueEntrySchema = z
  .object({
    id: z.string().openapi({
      description: 'The `messageType` of `POST /v1/exchanges`',
      example: 'residence_status.notice',
    }),
    agencyType: z.enum(AGENCY_TYPES).openapi({ description: 'The agency type that sends it' }),
    title: z.string(),
    description: z.string(),
    categories: z.array(z.enum(DATA_CATEGORIES)).openapi({
      description:
        'Every category its fields belong to; a message carries those of its fields present',
    }),
    fields: z.array(CatalogueFieldSchema),
    example: z
      .record(z.string(), z.unknown())
      .openapi({ description: 'A fictitious message of this type' }),
    jsonSchema: z.record(z.string(), z.unknown()).openapi({
      description:
        'JSON Schema (draft 2020-12) of the message; each top-level property names its ' +
        '`x-dataCategory`. Unknown fields are refused at every level.',
    }),
  })
  .openapi('CatalogueEntry');

const connectorsRoute = createRoute({
  method: 'get',
  path: '/v1/connectors',
  tags: ['Connectors'],
  summary: 'The message types agencies can send, with schemas and data categories',
  description:
    'A catalogue for integrators: per message type its fields, the data category of each, an ' +
    'example and a JSON Schema. The same for every caller; no authentication, holds no personal ' +
    'data.',
  responses: {
    200: {
      description: 'Every message type of every connector',
      content: {
        'application/json': { schema: z.object({ items: z.array(CatalogueEntrySchema) }) },
      },
    },
    ...overloadedProblem,
  },
});

/**
 * Registers `GET /v1/connectors`, the public catalogue of message types. Not paged, unlike other
 * lists: it is a fixed, small document that changes only with a new gateway version.
 */
export function registerConnectorRoutes(app: OpenAPIHono<GatewayEnv>): void {
  // Built once: the catalogue is fixed for the life of the process.
  const items = catalogue();
  app.openapi(connectorsRoute, (c) => {
    // Public and free of personal data, so caches may keep it, unlike every other API answer.
    c.header('Cache-Control', 'public, max-age=300');
    return c.json({ items }, 200);
  });
}
