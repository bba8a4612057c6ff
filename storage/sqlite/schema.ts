import type { Migration } from './migrations.ts';
import { AUDIT_HEAD_FRONTIER, AUDIT_SCHEMA } from './schema-audit.ts';
import {
  CONSENT_NOTICE_TEXT,
  CONSENT_SCHEMA,
  PERSON_CREDENTIALS,
  SWEEP_INDEXES,
} from './schema-consent.ts';
import {
  EXCHANGE_SCHEMA,
  WAITING_BY_RECIPIENT,
  WEBHOOKS,
  WITHHOLDING_REASON,
} from './schema-exchange.ts';
import { MONITOR_ROLE, PKI_SCHEMA, TENANT_PROFILE, TENANTS_SCHEMA } from './schema-pki.ts';

/**
 * The gateway's schema, one step per change. Never edit a step that has shipped: add a new one.
 * Tables are STRICT so a wrong type is an error, not a silent conversion.
 */
export const migrations: readonly Migration[] = [
  { version: 1, name: 'tenants', sql: TENANTS_SCHEMA },
  { version: 2, name: 'agency pki', sql: PKI_SCHEMA },
  { version: 3, name: 'consent', sql: CONSENT_SCHEMA },
  { version: 4, name: 'audit log', sql: AUDIT_SCHEMA },
  { version: 5, name: 'exchange and mailbox', sql: EXCHANGE_SCHEMA },
  { version: 6, name: 'webhooks', sql: WEBHOOKS },
  { version: 7, name: 'consent notice text', sql: CONSENT_NOTICE_TEXT },
  { version: 8, name: 'withholding reason and mailbox by consent', sql: WITHHOLDING_REASON },
  { version: 9, name: "the person's credentials", sql: PERSON_CREDENTIALS },
  { version: 10, name: 'audit head root and frontier', sql: AUDIT_HEAD_FRONTIER },
  { version: 11, name: 'indexes of the sweep', sql: SWEEP_INDEXES },
  { version: 12, name: 'monitor role and programme view', sql: MONITOR_ROLE },
  { version: 13, name: 'tenant profile', sql: TENANT_PROFILE },
  { version: 14, name: 'waiting messages by recipient', sql: WAITING_BY_RECIPIENT },
];
