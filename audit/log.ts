import { canonicalJson, toBase64Url, type Clock } from '../core/index.ts';
import { appendToHead, currentHead } from './head.ts';
import { leafHash } from './leaf.ts';
import {
  AuditRace,
  type AuditDraft,
  type AuditEntry,
  type AuditStore,
  type PreparedAppend,
} from './ports.ts';

const MAX_ATTEMPTS = 8;

/**
 * Appends to a tenant's audit log together with the change an entry records. Hashing is async
 * (WebCrypto) and a database transaction is not, so an entry is prepared first (its seq, leaf
 * hash and the tree nodes it completes) and then committed inside the change's transaction,
 * which checks that the tree has not moved; appends within this process queue per tenant. A
 * store shared by several processes orders them itself (`sequenced`: the tenant's head row is
 * locked in the change's transaction); with a single-writer store, a writer in another process
 * (the CLI) only causes a retry.
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
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(store: AuditStore, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  /** Prepares the entry and hands it to `commit`, which must write it with its change. */
  record<T>(
    tenantId: string,
    draft: AuditDraft | ((seq: number) => Promise<AuditDraft>),
    commit: (prepared: PreparedAppend) => Promise<T>,
  ): Promise<T> {
    const previous = this.#queues.get(tenantId) ?? Promise.resolve();
    const run = previous.then(
      () => this.#attempt(tenantId, draft, commit),
      () => this.#attempt(tenantId, draft, commit),
    );
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.#queues.set(tenantId, settled);
    void settled.then(() => {
      if (this.#queues.get(tenantId) === settled) this.#queues.delete(tenantId);
    });
    return run;
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
    draft: AuditDraft | ((seq: number) => Promise<AuditDraft>),
  ): Promise<PreparedAppend> {
    const current = await currentHead(this.#store, tenantId);
    const size = current.size;
    const fields = typeof draft === 'function' ? await draft(size) : draft;
    const entry: AuditEntry = {
      ...fields,
      seq: size,
      tenant: tenantId,
      time: this.#clock.now().toISOString(),
    };
    const entryJson = canonicalJson(entry);
    const leaf = await leafHash(entry);
    const { nodes, head } = await appendToHead(current, leaf);
    return { tenantId, expectedSize: size, entry, entryJson, leafHash: leaf, nodes, head };
  }

  async #attempt<T>(
    tenantId: string,
    draft: AuditDraft | ((seq: number) => Promise<AuditDraft>),
    commit: (prepared: PreparedAppend) => Promise<T>,
  ): Promise<T> {
    const sequenced = this.#store.sequenced?.bind(this.#store);
    if (sequenced) {
      // Hash (and, for an exchange, sign and seal) before taking the lock; only when another
      // instance appended meanwhile is the entry prepared again, under the lock.
      const early = await this.prepare(tenantId, draft);
      return sequenced(tenantId, async () => {
        const size = (await this.#store.head(tenantId))?.size ?? 0;
        return commit(size === early.expectedSize ? early : await this.prepare(tenantId, draft));
      });
    }
    for (let attempt = 1; ; attempt++) {
      const prepared = await this.prepare(tenantId, draft);
      try {
        return await commit(prepared);
      } catch (error) {
        if (!(error instanceof AuditRace) || attempt >= MAX_ATTEMPTS) throw error;
      }
      // A random pause, growing with each loss, so two writers appending back to back stop
      // preparing in lockstep, where the same one would lose every time.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 ** attempt));
    }
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
