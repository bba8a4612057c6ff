export { openD1Storage } from './storage.ts';
export type { D1Database, D1PreparedStatement, D1Result, D1Value } from './d1.ts';
