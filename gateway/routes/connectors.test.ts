import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENCY_TYPES } from '../../certs/index.ts';
import { CONNECTORS, parseMessage, type CatalogueEntry } from '../../connectors/index.ts';
import { testGateway, type TestGateway } from '../../test/support/app.ts';

let gw: TestGateway;
beforeEach(async () => {
  gw = await testGateway();
});
afterEach(() => {
  gw.close();
});

describe('GET /v1/connectors', () => {
  it('answers every message type of the three agency types, without authentication', async () => {
    const res = await gw.app.request('/v1/connectors');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const { items } = (await res.json()) as { items: CatalogueEntry[] };

    const expected = CONNECTORS.flatMap((c) => c.messageTypes.map((type) => type.id));
    expect(items.map((item) => item.id)).toEqual(expected);
    expect(new Set(items.map((item) => item.agencyType))).toEqual(new Set(AGENCY_TYPES));
    expect(items.map((item) => item.id)).toEqual(
      expect.arrayContaining(['residence_status.notice', 'jobseeker.profile', 'benefit.status']),
    );

    for (const item of items) {
      expect(item.title).not.toBe('');
      expect(item.fields.length).toBeGreaterThan(0);
      for (const field of item.fields) {
        expect(field).toEqual({
          name: expect.any(String) as string,
          category: expect.any(String) as string,
          required: expect.any(Boolean) as boolean,
          description: expect.any(String) as string,
        });
      }
      expect(item.jsonSchema).toMatchObject({ type: 'object', additionalProperties: false });
      // The example as served is a message the gateway accepts, with the categories it lists.
      const parsed = parseMessage(item.id, item.example);
      for (const category of parsed.categories) expect(item.categories).toContain(category);
    }
  });

  it('marks the health coverage notice as carrying health data', async () => {
    const { items } = (await (await gw.app.request('/v1/connectors')).json()) as {
      items: CatalogueEntry[];
    };
    const health = items.find((item) => item.id === 'health_coverage.notice');
    expect(health?.agencyType).toBe('social_office');
    expect(health?.categories).toEqual(['health']);
  });

  it('is described in the OpenAPI document, public and tagged Connectors', async () => {
    const res = await gw.app.request('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      paths: Record<string, Record<string, { tags?: string[]; security?: unknown }>>;
      components: { schemas: Record<string, unknown> };
    };
    const operation = doc.paths['/v1/connectors']?.['get'];
    expect(operation?.tags).toEqual(['Connectors']);
    expect(operation?.security).toBeUndefined();
    expect(doc.components.schemas).toHaveProperty('CatalogueEntry');
  });
});
