/**
 * A gateway's SQLite file as it looks after `n` exchanges, seeded in seconds: `n` people, each
 * with a request approved into one active consent (jc → abh, labour-market integration), and one
 * message each under that consent — nine in ten acknowledged (ciphertext gone), one in ten still
 * waiting (delivered, within retention). Rows are written with the storage's own column lists in
 * one transaction of prepared statements; nothing is due for expiry, purge or withholding, so a
 * sweep over it does only what it does every minute: look.
 *
 * Ciphertexts are 64 characters, not 4 KiB: 10⁶ real ones would be 5 GB; the sweep reads no
 * ciphertext. Consent parties and audit entries of the seeded history are not written.
 */
import {
  CONSENT_COLUMNS,
  consentValues,
  REQUEST_COLUMNS,
  requestValues,
  VERSION_COLUMNS,
  versionValues,
} from '../storage/rows/consent.ts';
import { MESSAGE_INSERT_COLUMNS, messageValues } from '../storage/rows/exchange.ts';
import type { SqliteDatabase } from '../storage/sqlite/index.ts';

export const TENANT = 'bench';
export const PURPOSE = 'labour_market_integration';
export const subjectOf = (i: number) => `p${String(i)}`;

const placeholders = (columns: string) =>
  columns
    .split(',')
    .map(() => '?')
    .join(', ');

/** Seeds people `from` … `to` − 1 (call with growing ranges to reach a larger population). */
export function seedPopulation(db: SqliteDatabase, from: number, to: number): void {
  const now = new Date();
  const at = now.toISOString();
  const until = new Date(now.getTime() + 365 * 86_400_000).toISOString();
  const lists = {
    senders: '["jc"]',
    recipients: '["abh"]',
    categories: '["employment_history"]',
  };
  db.prepare('INSERT OR IGNORE INTO tenants (id, display_name, created_at) VALUES (?, ?, ?)').run(
    TENANT,
    TENANT,
    at,
  );
  const subject = db.prepare(
    'INSERT INTO subjects (tenant_id, pseudonym, wrapped_key, created_at) VALUES (?, ?, ?, ?)',
  );
  const request = db.prepare(
    `INSERT INTO consent_requests (${REQUEST_COLUMNS}) VALUES (${placeholders(REQUEST_COLUMNS)})`,
  );
  // SQLite keeps a legacy `capture` column (NOT NULL) its consent store fills besides these.
  const consentColumns = `${CONSENT_COLUMNS}, capture`;
  const consent = db.prepare(
    `INSERT INTO consents (${consentColumns}) VALUES (${placeholders(consentColumns)})`,
  );
  const version = db.prepare(
    `INSERT INTO consent_versions (${VERSION_COLUMNS}) VALUES (${placeholders(VERSION_COLUMNS)})`,
  );
  const message = db.prepare(
    `INSERT INTO mailbox_messages (${MESSAGE_INSERT_COLUMNS})
     VALUES (${placeholders(MESSAGE_INSERT_COLUMNS)})`,
  );
  const person = {
    tenantId: TENANT,
    requestedBy: 'abh',
    purpose: PURPOSE,
    validUntil: until,
    language: 'de',
    noticeText: 'notice',
    noticeHash: 'h',
    secondFactorHash: 's',
    codeExpiresAt: until,
    createdAt: at,
  };
  db.transaction(() => {
    for (let i = from; i < to; i++) {
      const s = subjectOf(i);
      subject.run(TENANT, s, 'wrapped', at);
      const r = {
        ...person,
        ...lists,
        id: `cr${String(i)}`,
        subject: s,
        codeHash: `c${String(i)}`,
      };
      request.run(...requestValues(r as never, lists));
      version.run(
        ...versionValues(TENANT, 'request', r.id, 1, { state: 'pending', at, actor: 'abh' }),
      );
      version.run(
        ...versionValues(TENANT, 'request', r.id, 2, { state: 'approved', at, actor: 'subject' }),
      );
      const c = {
        ...r,
        id: `cs${String(i)}`,
        requestId: r.id,
        validFrom: at,
        channel: 'portal-code',
        assurance: 'low',
        receiptId: `rc${String(i)}`,
        receipt: 'receipt',
      };
      consent.run(...consentValues(c as never, lists), 'portal');
      version.run(
        ...versionValues(TENANT, 'consent', c.id, 1, {
          state: 'active',
          at,
          actor: 'subject',
          channel: 'portal-code',
          assurance: 'low',
        }),
      );
      const waiting = i % 10 === 0;
      message.run(
        ...messageValues({
          id: `ex${String(i)}`,
          tenantId: TENANT,
          sender: 'jc',
          recipient: 'abh',
          subject: s,
          consentId: c.id,
          messageType: 'integration_plan.summary',
          purpose: PURPOSE,
          categories: ['employment_history'],
          envelope: 'jwe',
          ciphertext: waiting ? 'x'.repeat(64) : null,
          ciphertextDigest: 'd',
          receivedAt: at,
          retainUntil: until,
          state: waiting ? 'delivered' : 'acknowledged',
        } as never),
      );
    }
  })();
}
