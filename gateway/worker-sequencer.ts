/**
 * The edge's audit sequencer: one Durable Object per tenant (`idFromName(tenantId)`), the single
 * place that decides whose append comes next. D1 has no lock a Worker could hold across its
 * statements, and isolates in many places append at once; without an order they would all
 * prepare for the same size, and all but one would lose the head guard and redo their work.
 *
 * The object hands out one lease at a time, in the order asked. The holder commits its batch
 * (entry, nodes, head, and the change it records, guarded by the head's size in SQL) and gives
 * the lease back. A holder that never does (an isolate evicted mid-request) loses it after
 * LEASE_MS; should it commit after all, its head guard fails and it retries under a new lease,
 * so the guard, not the lease, is what keeps the sequence gap-free.
 */
import { AuditRace, type AuditStore } from '../audit/index.ts';

/** Longer than any append takes (one D1 batch), short enough that a lost holder stalls little. */
export const LEASE_MS = 10_000;
const ATTEMPTS = 4;

/** The part of a Durable Object namespace binding the gateway uses. */
export interface SequencerNamespace {
  idFromName(name: string): unknown;
  get(id: unknown): { fetch(input: string, init?: RequestInit): Promise<Response> };
}

interface Lease {
  readonly token: string;
  readonly timer: ReturnType<typeof setTimeout>;
}

/** The Durable Object class (bound as AUDIT_SEQUENCER in wrangler.toml). */
export class AuditSequencer {
  #holder: Lease | undefined;
  readonly #waiting: ((token: string) => void)[] = [];

  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (request.method === 'POST' && url.pathname === '/acquire') {
      return Response.json({ token: await this.#acquire() });
    }
    if (request.method === 'POST' && url.pathname === '/release') {
      this.#release(url.searchParams.get('token') ?? '');
      return new Response(null, { status: 204 });
    }
    return new Response(null, { status: 404 });
  }

  #acquire(): Promise<string> {
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
      if (this.#holder === undefined) this.#grantNext();
    });
  }

  #release(token: string): void {
    if (this.#holder?.token !== token) return; // expired meanwhile, or not ours
    clearTimeout(this.#holder.timer);
    this.#grantNext();
  }

  #grantNext(): void {
    const next = this.#waiting.shift();
    if (next === undefined) {
      this.#holder = undefined;
      return;
    }
    const token = crypto.randomUUID();
    const timer = setTimeout(() => {
      if (this.#holder?.token === token) this.#grantNext();
    }, LEASE_MS);
    this.#holder = { token, timer };
    next(token);
  }
}

/**
 * The audit store with appends ordered by each tenant's sequencer: `sequenced` holds the tenant's
 * lease while `work` prepares (again, if the log moved) and commits. An AuditRace under a lease
 * means a lease expired under a slow holder; the work is done again under a fresh one.
 */
export function sequencedBy(namespace: SequencerNamespace, store: AuditStore): AuditStore {
  return {
    ...store,
    async sequenced(tenantId, work) {
      const sequencer = namespace.get(namespace.idFromName(tenantId));
      for (let attempt = 1; ; attempt++) {
        const acquired = await sequencer.fetch('https://sequencer/acquire', { method: 'POST' });
        const { token } = (await acquired.json()) as { token: string };
        try {
          return await work();
        } catch (error) {
          if (!(error instanceof AuditRace) || attempt >= ATTEMPTS) throw error;
        } finally {
          await sequencer.fetch(`https://sequencer/release?token=${encodeURIComponent(token)}`, {
            method: 'POST',
          });
        }
      }
    },
  };
}
