/**
 * A gateway's SQLite file as it looks after `n` exchanges, seeded in seconds: `n` people, each
 * with a request approved into one active consent (jc → abh, labour-market integration), and one
 * message each under that consent — nine in ten acknowledged (ciphertext gone), one in ten still
 * waiting (delivered, within retention). Rows are written with the storage's own column lists, one
 * INSERT … SELECT per table; nothing is due for expiry, purge or withholding, so a
 * sweep over it does only what it does every minute: look.
 *
 * Ciphertexts are 64 characters, not 4 KiB: 10⁶ real ones would be 5 GB; the sweep reads no
 * ciphertext. Consent parties and audit entries of the seeded history are not written.
 */
import { CONSENT_COLUMNS, REQUEST_COLUMNS, VERSION_COLUMNS } from '../storage/rows/consent.ts';
import { MESSAGE_INSERT_COLUMNS } from '../storage/rows/exchange.ts';
import type { SqliteDatabase } from '../storage/sqlite/index.ts';

export const TENANT = 'bench';
export const PURPOSE = 'labour_market_integration';
/** The pseudonym of person `i`, as the seeding SQL writes it (`id('p')`). */
export const subjectOf = (i: number) => `p${String(i).padStart(8, '0')}`;

/** `n` … `to` − 1 as rows of one column `i`, so one statement inserts a whole range. */
const RANGE =
  'WITH RECURSIVE n(i) AS (SELECT @from UNION ALL SELECT i + 1 FROM n WHERE i + 1 < @to)';
const id = (prefix: string) => `'${prefix}' || printf('%08d', i)`;

/**
 * Seeds people `from` … `to` − 1 (call with growing ranges to reach a larger population): one
 * INSERT … SELECT over a range per table, in one transaction, with the storage's column lists.
 */
export function seedPopulation(db: SqliteDatabase, from: number, to: number): void {
  const now = new Date();
  const values = {
    from,
    to,
    tenant: TENANT,
    purpose: PURPOSE,
    at: now.toISOString(),
    until: new Date(now.getTime() + 365 * 86_400_000).toISOString(),
    senders: '["jc"]',
    recipients: '["abh"]',
    categories: '["employment_history"]',
  };
  const lists = '@senders, @recipients, @purpose, @categories';
  const statements = [
    `INSERT INTO subjects (tenant_id, pseudonym, wrapped_key, created_at)
     ${RANGE} SELECT @tenant, ${id('p')}, 'wrapped', @at FROM n`,
    `INSERT INTO consent_requests (${REQUEST_COLUMNS})
     ${RANGE} SELECT ${id('cr')}, @tenant, ${id('p')}, 'abh', ${lists}, @until, 'de', 'notice',
       'h', ${id('c')}, 's', NULL, @until, @at FROM n`,
    `INSERT INTO consent_versions (${VERSION_COLUMNS})
     ${RANGE} SELECT @tenant, 'request', ${id('cr')}, 1, 'pending', @at, 'abh', NULL, NULL FROM n`,
    `INSERT INTO consent_versions (${VERSION_COLUMNS})
     ${RANGE} SELECT @tenant, 'request', ${id('cr')}, 2, 'approved', @at, 'subject', NULL, NULL
     FROM n`,
    // SQLite keeps a legacy `capture` column (NOT NULL) its consent store fills besides these.
    `INSERT INTO consents (${CONSENT_COLUMNS}, capture)
     ${RANGE} SELECT ${id('cs')}, @tenant, ${id('p')}, ${id('cr')}, ${lists}, @at, @until, 'de',
       'h', 'notice', 'portal-code', 'low', NULL, ${id('rc')}, 'receipt', @at, 'portal' FROM n`,
    `INSERT INTO consent_versions (${VERSION_COLUMNS})
     ${RANGE} SELECT @tenant, 'consent', ${id('cs')}, 1, 'active', @at, 'subject', 'portal-code',
       'low' FROM n`,
    `INSERT INTO mailbox_messages (${MESSAGE_INSERT_COLUMNS})
     ${RANGE} SELECT ${id('ex')}, @tenant, 'jc', 'abh', ${id('p')}, ${id('cs')},
       'integration_plan.summary', @purpose, @categories, 'jwe',
       CASE WHEN i % 10 = 0 THEN printf('%064d', i) END, 'd', @at, @until,
       CASE WHEN i % 10 = 0 THEN 'delivered' ELSE 'acknowledged' END FROM n`,
  ];
  db.prepare('INSERT OR IGNORE INTO tenants (id, display_name, created_at) VALUES (?, ?, ?)').run(
    TENANT,
    TENANT,
    values.at,
  );
  db.transaction(() => {
    for (const sql of statements) db.prepare(sql).run(values);
  })();
}
