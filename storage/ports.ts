/**
 * Every storage port, as each backend (SQLite, PostgreSQL, D1) provides them: what the app is
 * built on and what the storage conformance suite drives. The app that uses them declares the
 * aggregate (`GatewayStorage`, gateway/app.ts), as each domain module declares its own port;
 * this is the backends' name for it.
 */
export type { GatewayStorage as Storage } from '../gateway/app.ts';
