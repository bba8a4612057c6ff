import type { Migration } from './migrations.ts';

/**
 * The gateway's schema, one step per change. Never edit a step that has shipped: add a new one.
 * Tables are STRICT so a wrong type is an error, not a silent conversion.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'tenants',
    sql: `
      CREATE TABLE tenants (
        id TEXT PRIMARY KEY,
        display_name TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
    `,
  },
];
