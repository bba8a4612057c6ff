import type { PgMigration } from '../migrations.ts';
import { AUDIT_HEAD_FRONTIER, AUDIT_SCHEMA } from './audit.ts';
import { CONSENT_SCHEMA, CONSENT_SWEEP_INDEXES } from './consent.ts';
import { EXCHANGE_SCHEMA, WAITING_BY_RECIPIENT } from './exchange.ts';
import { MONITOR_ROLE, PKI_SCHEMA, TENANT_PROFILE } from './pki.ts';

/**
 * The PostgreSQL schema. It starts where the SQLite schema stands after its ninth step, as one
 * step per area; later changes are new steps at the end, never edits of these.
 */
export const pgMigrations: readonly PgMigration[] = [
  { version: 1, name: 'tenants, keys, principals, certificates', sql: PKI_SCHEMA },
  { version: 2, name: 'audit log', sql: AUDIT_SCHEMA },
  {
    version: 3,
    name: 'subjects, consent requests, consents, portal sessions',
    sql: CONSENT_SCHEMA,
  },
  { version: 4, name: 'mailbox, idempotency, webhooks', sql: EXCHANGE_SCHEMA },
  { version: 5, name: 'audit head root and frontier', sql: AUDIT_HEAD_FRONTIER },
  { version: 6, name: 'indexes of the consent sweep', sql: CONSENT_SWEEP_INDEXES },
  { version: 7, name: 'monitor role and programme view', sql: MONITOR_ROLE },
  { version: 8, name: 'tenant profile', sql: TENANT_PROFILE },
  { version: 9, name: 'waiting messages by recipient', sql: WAITING_BY_RECIPIENT },
];
