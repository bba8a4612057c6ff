import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PreparedAppend } from '../../audit/index.ts';
import { tempDir } from '../../test/support/temp.ts';
import { openSqlite, type SqliteDatabase } from './database.ts';
import { sqliteExchangeStore } from './exchange-store.ts';
import { migrations } from './schema.ts';

const dirs: { remove(): void }[] = [];
const dbs: SqliteDatabase[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  for (const dir of dirs.splice(0)) dir.remove();
});
const fileOf = (): string => {
  const dir = tempDir();
  dirs.push(dir);
  return join(dir.path, 'g.db');
};
const opened = (file: string, steps = migrations): SqliteDatabase => {
  const db = openSqlite({ file, migrations: steps });
  dbs.push(db);
  return db;
};

const AT = '2026-11-25T10:00:00.000Z';
function insertMessage(
  db: SqliteDatabase,
  id: string,
  fields: { state?: string; receivedAt?: string; consentId?: string } = {},
): void {
  db.prepare(
    `INSERT INTO mailbox_messages (id, tenant_id, sender, recipient, subject, consent_id,
     message_type, purpose, categories, envelope, ciphertext, ciphertext_digest, received_at,
     retain_until, state) VALUES (?, 'koeln', 'abh-koeln', 'jc-koeln', 'pseudonym', ?,
     'residence_status.notice', 'labour_market_integration', '["residence_status"]', 'jwe', ?,
     'digest', ?, '2027-11-25T10:00:00.000Z', ?)`,
  ).run(
    id,
    fields.consentId ?? 'co_1',
    fields.state === 'withheld' ? null : 'ciphertext',
    fields.receivedAt ?? AT,
    fields.state ?? 'queued',
  );
}

describe('migration 8', () => {
  it('keeps why messages withheld before it were withheld, as their audit entries say', () => {
    const file = fileOf();
    const old = opened(file, migrations.slice(0, 7));
    old
      .prepare("INSERT INTO tenants (id, display_name, created_at) VALUES ('koeln', 'K', ?)")
      .run(AT);
    insertMessage(old, 'ex_expired', { state: 'withheld' });
    insertMessage(old, 'ex_revoked', { state: 'withheld' });
    insertMessage(old, 'ex_waiting');
    const audit = old.prepare(`INSERT INTO audit_entries (tenant_id, seq, time, event, actor, entry,
      leaf_hash) VALUES ('koeln', ?, ?, 'exchange.withheld', 'jc-koeln', ?, x'00')`);
    audit.run(0, AT, JSON.stringify({ exchangeId: 'ex_expired', reasons: ['consent_expired'] }));
    audit.run(1, AT, JSON.stringify({ exchangeId: 'ex_revoked', reasons: ['consent_revoked'] }));
    old.close();
    dbs.splice(dbs.indexOf(old), 1);

    const db = opened(file);
    expect(
      db.prepare('SELECT id, withheld_reason FROM mailbox_messages ORDER BY id').all(),
    ).toEqual([
      { id: 'ex_expired', withheld_reason: 'consent_expired' },
      { id: 'ex_revoked', withheld_reason: 'consent_revoked' },
      { id: 'ex_waiting', withheld_reason: null },
    ]);
    // Only the two reasons there are.
    expect(() =>
      db
        .prepare("UPDATE mailbox_messages SET withheld_reason = 'bored' WHERE id = 'ex_waiting'")
        .run(),
    ).toThrow(/CHECK/);
  });
});

describe('the exchange store', () => {
  const store = () => {
    const db = opened(fileOf());
    db.prepare("INSERT INTO tenants (id, display_name, created_at) VALUES ('koeln', 'K', ?)").run(
      AT,
    );
    return { db, exchanges: sqliteExchangeStore(db) };
  };

  it('pages waiting messages by (receivedAt, id), also across equal timestamps', async () => {
    const { db, exchanges } = store();
    for (const id of ['ex_c', 'ex_a', 'ex_b']) insertMessage(db, id);
    insertMessage(db, 'ex_0', { receivedAt: '2026-11-25T09:59:59.999Z' });
    insertMessage(db, 'ex_gone', { state: 'withheld' });
    const ids = async (after?: { receivedAt: string; id: string }) =>
      (await exchanges.waiting('koeln', 'jc-koeln', after, 10)).map((m) => m.id);
    expect(await ids()).toEqual(['ex_0', 'ex_a', 'ex_b', 'ex_c']);
    expect(await ids({ receivedAt: AT, id: 'ex_a' })).toEqual(['ex_b', 'ex_c']);
    expect(await ids({ receivedAt: '2026-11-25T09:59:59.999Z', id: 'ex_0' })).toEqual([
      'ex_a',
      'ex_b',
      'ex_c',
    ]);
  });

  it('moves only a waiting message: a withheld one stays withheld, whatever the caller asks', async () => {
    const { db, exchanges } = store();
    insertMessage(db, 'ex_withheld', { state: 'withheld' });
    insertMessage(db, 'ex_queued');
    const prepared = { tenantId: 'koeln' } as unknown as PreparedAppend; // never committed
    for (const from of [['queued', 'delivered'], ['withheld'], ['queued', 'withheld']] as const)
      expect(await exchanges.transition('ex_withheld', from, 'delivered', prepared)).toBe(false);
    expect(await exchanges.transition('ex_queued', ['delivered'], 'acknowledged', prepared)).toBe(
      false,
    );
    expect(
      db.prepare('SELECT id, state, ciphertext FROM mailbox_messages ORDER BY id').all(),
    ).toEqual([
      { id: 'ex_queued', state: 'queued', ciphertext: 'ciphertext' },
      { id: 'ex_withheld', state: 'withheld', ciphertext: null },
    ]);
    expect(db.prepare('SELECT COUNT(*) FROM audit_entries').pluck().get()).toBe(0);
  });

  it('counts a message whose consent is gone (erased with its subject) as ended', async () => {
    const { db, exchanges } = store();
    insertMessage(db, 'ex_orphan', { consentId: 'co_erased' });
    expect(await exchanges.waitingAfterConsentEnded(AT, 10)).toEqual([
      expect.objectContaining({ id: 'ex_orphan' }),
    ]);
    expect(await exchanges.waitingUnderConsent('koeln', 'co_erased')).toEqual([
      expect.objectContaining({ id: 'ex_orphan', state: 'queued' }),
    ]);
    expect(await exchanges.waitingUnderConsent('other', 'co_erased')).toEqual([]);
  });
});
