/**
 * The order in which appends to a tenant's log take their turn, and the seq each will most likely
 * get. One process keeps it for everything that writes to one SQLite file: the gateway process
 * itself, or the primary of a cluster for all its workers (gateway/cluster/), so that appends from
 * all of them form one gap-free sequence and drafts made before the turn are rarely made again.
 */
export interface AppendOrder {
  /** Takes the next place in the tenant's line. */
  reserve(tenantId: string): AppendTurn | Promise<AppendTurn>;
}

export interface AppendTurn {
  /**
   * The seq this append will most likely get: the size after the last append in the line plus
   * the appends before it. Undefined until the line has seen an append of the tenant end.
   */
  readonly seq: number | undefined;
  /** Resolves once every append before this one in the line has ended. */
  readonly ready: Promise<void>;
  /**
   * Ends the turn: with the size the commit left, or without after a failure. Later calls do
   * nothing.
   */
  end(size?: number): void;
}

interface Line {
  size: number | undefined;
  pending: number;
  tail: Promise<void>;
}

/** The line of one process. */
export class TicketLine implements AppendOrder {
  readonly #lines = new Map<string, Line>();

  reserve(tenantId: string): AppendTurn {
    let line = this.#lines.get(tenantId);
    if (!line) {
      line = { size: undefined, pending: 0, tail: Promise.resolve() };
      this.#lines.set(tenantId, line);
    }
    const own = line;
    const seq = own.size === undefined ? undefined : own.size + own.pending;
    own.pending++;
    let release: () => void = () => undefined;
    const ended = new Promise<void>((resolve) => (release = resolve));
    const ready = own.tail;
    own.tail = ready.then(() => ended);
    let open = true;
    return {
      seq,
      ready,
      end: (size) => {
        if (!open) return;
        open = false;
        own.pending--;
        if (size !== undefined) own.size = size;
        release();
      },
    };
  }
}
