import { toBase64Url, type Clock } from '../core/index.ts';
import { appendToHead, currentHead } from './head.ts';
import { entryJson as canonicalEntry, leafHashOfJson } from './leaf.ts';
import { TicketLine, type AppendOrder, type AppendTurn } from './order.ts';
import {
  AuditRace,
  type AuditDraft,
  type AuditEntry,
  type AuditStore,
  type PreparedAppend,
} from './ports.ts';

const MAX_ATTEMPTS = 8;

type Draft = AuditDraft | ((seq: number) => Promise<AuditDraft>);
type Early = Promise<{ seq: number; fields: AuditDraft } | { error: unknown }>;

// AuditLogs over one store in one process (the app's, the jobs') share one line unless told
// otherwise, so they take turns instead of racing each other.
const lines = new WeakMap<AuditStore, AppendOrder>();
const lineOf = (store: AuditStore): AppendOrder => {
  let line = lines.get(store);
  if (!line) {
    line = new TicketLine();
    lines.set(store, line);
  }
  return line;
};

/**
 * Appends to a tenant's audit log together with the change an entry records. Hashing is async
 * (WebCrypto) and a database transaction is not, so an entry is prepared first (its seq, leaf
 * hash and the tree nodes it completes) and then committed inside the change's transaction,
 * which checks that the tree has not moved.
 *
 * Appends take turns per tenant in an {@link AppendOrder} (this process's, or a cluster
 * primary's for all its workers), and a turn holds only what must be in order: reading the head,
 * hashing the leaf and committing. A draft that depends on its seq (an exchange signs its
 * attestation with it, then seals it) is made before the turn, for the seq the append will most
 * likely get. If an append before it failed, or another process (the CLI) appended meanwhile, the
 * draft is made again in the turn for the seq it really gets: the sequence stays gap-free whatever
 * fails. A store shared by several instances orders appends itself (`sequenced`: the tenant's
 * head row is locked in the change's transaction), and there the draft is made in the turn.
 *
 * @example
 * ```ts
 * await audit.record('koeln', { event: 'consent.revoked', actor: 'subject', outcome: 'ok' },
 *   (prepared) => store.changeConsent(id, version, next, prepared));
 * ```
 */
export class AuditLog {
  readonly #store: AuditStore;
  readonly #clock: Clock;
  readonly #order: AppendOrder;

  constructor(store: AuditStore, clock: Clock, order: AppendOrder = lineOf(store)) {
    this.#store = store;
    this.#clock = clock;
    this.#order = order;
  }

  /** Prepares the entry and hands it to `commit`, which must write it with its change. */
  async record<T>(
    tenantId: string,
    draft: Draft,
    commit: (prepared: PreparedAppend) => Promise<T>,
  ): Promise<T> {
    const turn = await this.#order.reserve(tenantId);
    try {
      if (this.#store.sequenced) {
        await turn.ready;
        return await this.#sequenced(tenantId, draft, commit);
      }
      // Started now, before the turn; awaited in it. A failure is the append's failure.
      const seq = turn.seq;
      const early: Early | undefined =
        seq === undefined
          ? undefined
          : this.#draft(draft, seq).then(
              (fields) => ({ seq, fields }),
              (error: unknown) => ({ error }),
            );
      await turn.ready;
      return await this.#attempt(tenantId, draft, commit, turn, early);
    } finally {
      turn.end();
    }
  }

  /** Records an entry whose change is the entry itself (e.g. `audit.read`). */
  append(tenantId: string, draft: AuditDraft): Promise<AuditEntry> {
    return this.record(tenantId, draft, async (prepared) => {
      await this.#store.commit(prepared);
      return prepared.entry;
    });
  }

  /**
   * Prepares an entry at the end of the tenant's log. A draft may be a function of the entry's
   * seq, for records that must name their own place (an exchange's attestation carries its audit
   * seq); it is called again if the tree moved before the commit.
   */
  async prepare(
    tenantId: string,
    draft: Draft,
    early?: { seq: number; fields: AuditDraft },
  ): Promise<PreparedAppend> {
    const current = await currentHead(this.#store, tenantId);
    const size = current.size;
    const fields = early?.seq === size ? early.fields : await this.#draft(draft, size);
    const entry: AuditEntry = {
      ...fields,
      seq: size,
      tenant: tenantId,
      time: this.#clock.now().toISOString(),
    };
    const entryJson = canonicalEntry(entry);
    const leaf = await leafHashOfJson(entryJson);
    const { nodes, head } = await appendToHead(current, leaf);
    return { tenantId, expectedSize: size, entry, entryJson, leafHash: leaf, nodes, head };
  }

  #draft(draft: Draft, seq: number): Promise<AuditDraft> {
    return typeof draft === 'function' ? draft(seq) : Promise.resolve(draft);
  }

  async #attempt<T>(
    tenantId: string,
    draft: Draft,
    commit: (prepared: PreparedAppend) => Promise<T>,
    turn: AppendTurn,
    early: Early | undefined,
  ): Promise<T> {
    let drafted = early === undefined ? undefined : await early;
    if (drafted !== undefined && 'error' in drafted) throw drafted.error;
    for (let attempt = 1; ; attempt++) {
      const prepared = await this.prepare(tenantId, draft, drafted);
      drafted = undefined;
      try {
        const result = await commit(prepared);
        turn.end(prepared.head.size);
        return result;
      } catch (error) {
        if (!(error instanceof AuditRace) || attempt >= MAX_ATTEMPTS) throw error;
      }
      // A random pause, growing with each loss, so two writers appending back to back stop
      // preparing in lockstep, where the same one would lose every time.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 ** attempt));
    }
  }

  /**
   * Storage shared by several processes: hash (and, for an exchange, sign and seal) before
   * taking the lock; only when another instance appended meanwhile is the entry prepared again,
   * under the lock.
   */
  async #sequenced<T>(
    tenantId: string,
    draft: Draft,
    commit: (prepared: PreparedAppend) => Promise<T>,
  ): Promise<T> {
    const sequenced = this.#store.sequenced?.bind(this.#store);
    if (!sequenced) throw new TypeError('not a sequenced store');
    const early = await this.prepare(tenantId, draft);
    return sequenced(tenantId, async () => {
      const size = (await this.#store.head(tenantId))?.size ?? 0;
      return commit(size === early.expectedSize ? early : await this.prepare(tenantId, draft));
    });
  }
}

/**
 * The subject as the log names it: an HMAC of a fixed label under the per-subject key. Shredding
 * the key (erasure) leaves the reference in the log, verifiable but no longer linkable.
 */
export async function subjectRef(subjectKey: Uint8Array<ArrayBuffer>): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    subjectKey,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = await crypto.subtle.sign(
    'HMAC',
    key,
    new TextEncoder().encode('consent-gateway/audit-subject-ref'),
  );
  return toBase64Url(new Uint8Array(mac)).slice(0, 32);
}

export type { AuditDraft } from './ports.ts';
