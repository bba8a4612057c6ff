/**
 * What erasing a subject removes or unlinks, in an order the foreign keys allow, as SQL that
 * SQLite, PostgreSQL and D1 all run; `tenant` and `subject` are the placeholders each driver binds
 * the tenant and the pseudonym to (`@t`/`@s`, `$1`/`$2`, `?1`/`?2`). Messages keep no link to the
 * person either: no pseudonym, no ciphertext; what still waited (under a consent that ended before
 * the sweep reached it) is withheld.
 *
 * @example
 * for (const sql of erasureStatements('$1', '$2')) await db.query(sql, [tenantId, pseudonym]);
 */
export function erasureStatements(tenant: string, subject: string): string[] {
  const ofSubject = `tenant_id = ${tenant} AND subject = ${subject}`;
  const refs = `SELECT id FROM consents WHERE ${ofSubject}
      UNION SELECT id FROM consent_requests WHERE ${ofSubject}`;
  return [
    `DELETE FROM code_attempts WHERE request_id IN
     (SELECT id FROM consent_requests WHERE ${ofSubject})`,
    `DELETE FROM consent_versions WHERE tenant_id = ${tenant} AND ref_id IN (${refs})`,
    `DELETE FROM consent_parties WHERE tenant_id = ${tenant} AND ref_id IN (${refs})`,
    `DELETE FROM portal_sessions WHERE ${ofSubject}`,
    `UPDATE mailbox_messages SET
     state = CASE WHEN state IN ('queued', 'delivered') THEN 'withheld' ELSE state END,
     withheld_reason = CASE WHEN state IN ('queued', 'delivered') THEN 'consent_revoked'
       ELSE withheld_reason END,
     ciphertext = NULL, subject = ''
   WHERE ${ofSubject}`,
    `DELETE FROM consents WHERE ${ofSubject}`,
    `DELETE FROM consent_requests WHERE ${ofSubject}`,
    `DELETE FROM subjects WHERE tenant_id = ${tenant} AND pseudonym = ${subject}`,
  ];
}
