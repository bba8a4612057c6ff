/**
 * The part of Cloudflare's D1 binding the adapter uses, declared structurally so storage/d1 needs
 * neither @cloudflare/workers-types nor any runtime package: the Worker hands in `env.DB`, which
 * has this shape. Values bound are null, numbers, strings or bytes (stored as BLOB); BLOBs come
 * back as arrays of byte values.
 */
export type D1Value = null | number | string | Uint8Array;

export interface D1Meta {
  /** Rows a write changed (INSERT, UPDATE, DELETE). */
  readonly changes: number;
  readonly last_row_id: number;
}

export interface D1Result<Row = Record<string, unknown>> {
  readonly results: Row[];
  readonly success: boolean;
  readonly meta: D1Meta;
}

export interface D1PreparedStatement {
  bind(...values: D1Value[]): D1PreparedStatement;
  first<Row = Record<string, unknown>>(): Promise<Row | null>;
  all<Row = Record<string, unknown>>(): Promise<D1Result<Row>>;
  run(): Promise<D1Result>;
}

export interface D1Database {
  prepare(query: string): D1PreparedStatement;
  /**
   * Runs the statements in order as one transaction: if one fails, none of them is written and
   * the promise rejects with that statement's error.
   */
  batch<Row = Record<string, unknown>>(statements: D1PreparedStatement[]): Promise<D1Result<Row>[]>;
}

/** The rows a statement answers, bound to `values`. */
export async function allRows<Row>(
  db: D1Database,
  sql: string,
  ...values: D1Value[]
): Promise<Row[]> {
  const { results } = await db
    .prepare(sql)
    .bind(...values)
    .all<Row>();
  return results;
}
