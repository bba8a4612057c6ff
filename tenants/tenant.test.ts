import { afterEach, describe, expect, it } from 'vitest';
import { FixedClock, GatewayError } from '../core/index.ts';
import { openSqliteStorage, type SqliteStorage } from '../storage/sqlite/index.ts';
import { tempDir } from '../test/support/temp.ts';
import { createTenant, ensureDemoTenant } from './tenant.ts';

const clock = new FixedClock('2026-11-25T10:00:00Z');
let cleanup: (() => void) | undefined;

function storage(): SqliteStorage {
  const dir = tempDir();
  const opened = openSqliteStorage(dir.path);
  cleanup = () => {
    opened.close();
    dir.remove();
  };
  return opened;
}

afterEach(() => cleanup?.());

describe('createTenant', () => {
  it('records a tenant with its display name and creation time', async () => {
    const store = storage().tenants;
    const tenant = await createTenant(store, clock, { id: 'koeln', displayName: ' Stadt Köln ' });
    expect(tenant).toEqual({
      id: 'koeln',
      displayName: 'Stadt Köln',
      createdAt: '2026-11-25T10:00:00.000Z',
    });
    expect(await store.get('koeln')).toEqual(tenant);
  });

  it.each(['K', 'Koeln', '1koeln', 'koeln/../x', 'köln', 'a'.repeat(64), ''])(
    'refuses the id %j with validation_failed and records nothing',
    async (id) => {
      const store = storage().tenants;
      const attempt = createTenant(store, clock, { id });
      await expect(attempt).rejects.toMatchObject({ code: 'validation_failed' });
      expect(await store.list()).toEqual([]);
    },
  );

  it('refuses a second tenant with the same id as a conflict', async () => {
    const store = storage().tenants;
    await createTenant(store, clock, { id: 'dortmund' });
    const again = createTenant(store, clock, { id: 'dortmund' });
    await expect(again).rejects.toBeInstanceOf(GatewayError);
    await expect(again).rejects.toMatchObject({ code: 'conflict' });
    expect(await store.list()).toHaveLength(1);
  });
});

describe('ensureDemoTenant', () => {
  it('creates the demo tenant on an empty installation, once', async () => {
    const store = storage().tenants;
    expect((await ensureDemoTenant(store, clock))?.id).toBe('demo');
    expect(await ensureDemoTenant(store, clock)).toBeUndefined();
    expect((await store.list()).map((t) => t.id)).toEqual(['demo']);
  });

  it('leaves an installation with an operator-made tenant alone', async () => {
    const store = storage().tenants;
    await createTenant(store, clock, { id: 'bielefeld' });
    expect(await ensureDemoTenant(store, clock)).toBeUndefined();
    expect((await store.list()).map((t) => t.id)).toEqual(['bielefeld']);
  });
});
