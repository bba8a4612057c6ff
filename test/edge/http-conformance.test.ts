// @peculiar/x509 needs the Reflect metadata API before anything of it runs.
import 'reflect-metadata';
import { describeHttpConformance } from '../http-conformance/index.ts';
import { describeAuditSequencer, watchAuditSequencer } from './audit-sequencer.ts';
import { describeCron } from './cron.ts';
import { captureConsole, describeLogScan } from './log-scan.ts';
import { describePortalAndDocs } from './portal-and-docs.ts';
import { WorkerUnderTest } from './worker-target.ts';

/*
 * The gateway on workerd: the real Worker (gateway/worker.ts) with D1, each tenant's audit
 * sequencer (a Durable Object) and the static assets, in this file's workerd. Loading the worker
 * costs a file ~10 s on two cores, so the portal, /docs and cron tests share it with the
 * conformance suite, and the last two blocks look back on everything the file made it do: the
 * leases its appends took, and every line it logged.
 */
const worker = new WorkerUnderTest();
const logs = captureConsole();
const sequencer = watchAuditSequencer();

describeHttpConformance('workerd', () => worker.target());
describePortalAndDocs(worker);
describeCron(worker);
describeAuditSequencer(worker, sequencer);
describeLogScan(worker, logs);
