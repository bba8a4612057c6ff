import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { AuditRace } from '../../audit/index.ts';
import { isGatewayError } from '../../core/index.ts';
import { emptyD1 } from '../../test/edge/d1-reset.ts';
import { guard, NO_CHANGE, runBatch, runOne } from './guards.ts';

const db = env.DB;
const insertTenant = (id: string) =>
  db
    .prepare('INSERT INTO tenants (id, display_name, created_at) VALUES (?, ?, ?)')
    .bind(id, id, '2026-11-25T10:00:00.000Z');
const tenantIds = async () =>
  (await db.prepare('SELECT id FROM tenants ORDER BY id').all<{ id: string }>()).results.map(
    (r) => r.id,
  );

async function failureOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('D1 batch guards', () => {
  beforeEach(async () => {
    await emptyD1(db);
  });

  it('writes the whole batch when every guard holds, and stores no guard row', async () => {
    const results = await runBatch(
      db,
      [insertTenant('a'), guard(db, 'no_change', '1 = ?', 1), insertTenant('b')],
      'that tenant',
    );
    expect(results).not.toBe(NO_CHANGE);
    expect(await tenantIds()).toEqual(['a', 'b']);
    expect(await db.prepare('SELECT count(*) AS n FROM batch_guards').first()).toEqual({ n: 0 });
  });

  it('answers NO_CHANGE for a failed no_change guard, writing nothing, also before it', async () => {
    const results = await runBatch(
      db,
      [insertTenant('a'), guard(db, 'no_change', '1 = ?', 2), insertTenant('b')],
      'that tenant',
    );
    expect(results).toBe(NO_CHANGE);
    expect(await tenantIds()).toEqual([]);
  });

  it('counts a condition that is NULL (a row it reads is missing) as failed', async () => {
    const condition = "(SELECT display_name FROM tenants WHERE id = 'none') = ?";
    expect(await runBatch(db, [guard(db, 'no_change', condition, 'x')], 'x')).toBe(NO_CHANGE);
  });

  it('throws an AuditRace for a failed audit_race guard, writing nothing', async () => {
    const failure = await failureOf(() =>
      runBatch(db, [insertTenant('a'), guard(db, 'audit_race', '0 = ?', 1)], 'that tenant'),
    );
    expect(failure).toBeInstanceOf(AuditRace);
    expect(await tenantIds()).toEqual([]);
  });

  it('turns a uniqueness violation into a conflict naming what, in a batch and alone', async () => {
    await insertTenant('a').run();
    for (const failure of [
      await failureOf(() => runBatch(db, [insertTenant('b'), insertTenant('a')], 'tenant a')),
      await failureOf(() => runOne(insertTenant('a'), (table) => `a row of ${table}`)),
    ]) {
      expect(isGatewayError(failure)).toBe(true);
      expect(failure).toMatchObject({ code: 'conflict' });
    }
    expect(
      await failureOf(() => runOne(insertTenant('a'), (table) => `a row of ${table}`)),
    ).toMatchObject({ detail: 'a row of tenants exists already' });
    expect(await tenantIds()).toEqual(['a']);
  });

  it('passes any other error on as it was', async () => {
    const orphan = db
      .prepare('INSERT INTO crl_numbers (tenant_id, last_number) VALUES (?, 1)')
      .bind('none');
    const failure = await failureOf(() => runBatch(db, [orphan], 'that number'));
    expect(isGatewayError(failure)).toBe(false);
    expect(String(failure)).toContain('FOREIGN KEY constraint failed');
  });

  it('refuses a guard name the schema does not know', async () => {
    const unknown = db.prepare("INSERT INTO batch_guards (guard) VALUES ('made_up')");
    expect(String(await failureOf(() => unknown.run()))).toContain('CHECK constraint failed');
  });
});
