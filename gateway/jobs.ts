import { AuditLog } from '../audit/index.ts';
import { createGatewaySigner } from '../certs/index.ts';
import { expireDue } from '../consent/index.ts';
import type { Clock } from '../core/index.ts';
import {
  deliverNotifications,
  purgeExpiredMessages,
  withholdEndedConsents,
} from '../exchange/index.ts';
import type { GatewayStorage } from './app.ts';
import type { Logger } from './logging.ts';

/** How often each job runs on a long-lived runtime (Node); a cron trigger on the edge. */
export const JOB_INTERVALS_MS = { sweep: 60_000, notify: 5_000 } as const;

/**
 * The sweep takes due items `batch` at a time, with a turn of the event loop between batches, and
 * at most `batches` batches per job and run: what is left is due the next minute too.
 */
export const SWEEP_BATCHES = { batch: 100, batches: 50 } as const;

const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Runs `job` a batch at a time until a batch moves nothing, or the cap. Not "until a batch is
 * short": another instance sweeping at once takes part of each batch, and what is left behind the
 * batch is still due.
 */
async function inBatches(job: (batch: number) => Promise<number>): Promise<number> {
  const { batch, batches } = SWEEP_BATCHES;
  let done = 0;
  for (let run = 0; run < batches; run++) {
    const moved = await job(batch);
    done += moved;
    if (moved === 0) break;
    await nextTurn();
  }
  return done;
}

/**
 * The gateway's background work, the same on every runtime: the entry only decides when it runs
 * (timers on Node, cron triggers on Workers). Each item the sweep touches changes by a conditional
 * transition with its audit entry, and delivery leases each notification before it POSTs, so two
 * instances running a job at once never do an item twice (test/jobs-once.test.ts).
 * A failing run is logged (its error type, nothing more) and the next run tries again.
 */
export interface BackgroundJobs {
  /** Ends brought by time: expired consents and requests, purged and withheld messages. */
  sweep(): Promise<void>;
  /** Webhook notifications that are due, retried with backoff. */
  notify(): Promise<void>;
}

/** Told how each run ended, and what the sweep withheld; the operator's metrics listen here. */
export interface JobObserver {
  ran(job: keyof BackgroundJobs, outcome: 'succeeded' | 'failed'): void;
  withheld(messages: number): void;
}

export function backgroundJobs(deps: {
  readonly storage: GatewayStorage;
  readonly clock: Clock;
  readonly masterKey: CryptoKey;
  readonly logger: Logger;
  readonly fetch: typeof fetch;
  readonly observer?: JobObserver;
}): BackgroundJobs {
  const { storage, clock, masterKey, logger, observer } = deps;
  const audit = new AuditLog(storage.audit, clock);
  const signer = createGatewaySigner({ pki: storage.pki, masterKey });
  const failed = (job: keyof BackgroundJobs, what: string) => (error: unknown) => {
    logger.error({ errorType: error instanceof Error ? error.name : 'unknown' }, what);
    observer?.ran(job, 'failed');
  };
  const withholding = {
    exchanges: storage.exchanges,
    consents: storage.consents,
    audit,
    clock,
    masterKey,
  };
  // A sweep still going when the next minute comes covers that minute: batches that yield can
  // outlast the interval, and two runs in one process would only race each other for each item.
  let sweeping: Promise<void> | undefined;
  const sweep = async () => {
    try {
      const expiry = { consents: storage.consents, clock, audit };
      const written = await inBatches((batch) => expireDue(expiry, batch));
      await nextTurn();
      const purged = await inBatches((batch) => purgeExpiredMessages(withholding, batch));
      await nextTurn();
      const withheld = await inBatches((batch) => withholdEndedConsents(withholding, batch));
      if (withheld > 0) logger.info({ withheld }, 'withheld messages whose consent ended');
      if (purged > 0) logger.info({ purged }, 'purged messages past their retention');
      if (written > 0) logger.info({ written }, 'expired consents and requests recorded');
      if (withheld > 0) observer?.withheld(withheld);
      observer?.ran('sweep', 'succeeded');
    } catch (error) {
      failed('sweep', 'expiry sweep failed')(error);
    }
  };
  return {
    sweep() {
      sweeping ??= sweep().finally(() => {
        sweeping = undefined;
      });
      return sweeping;
    },
    async notify() {
      try {
        // A notification tells an agency a message waits: only once that message is durable
        // (storage that groups its flushes may not have flushed the commit that queued it yet).
        await storage.durable?.();
        await deliverNotifications({
          exchanges: storage.exchanges,
          consents: storage.consents,
          signer,
          clock,
          fetch: deps.fetch,
        });
        observer?.ran('notify', 'succeeded');
      } catch (error) {
        failed('notify', 'webhook delivery failed')(error);
      }
    },
  };
}
