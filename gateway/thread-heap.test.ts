import { describe, expect, it } from 'vitest';
import { run } from '../test/support/process.ts';

/**
 * In a process started the way `npm start` starts the server (young generations of up to 64 MB a
 * half): a thread started through `startWithYoungGeneration` keeps to its own bound under heavy
 * allocation, while the event loop's heap and a thread started afterwards keep the process's.
 */
const SCRIPT = `
import { Worker } from 'node:worker_threads';
import { getHeapSpaceStatistics } from 'node:v8';
const { startWithYoungGeneration } = await import(${JSON.stringify(
  new URL('./thread-heap.ts', import.meta.url).href,
)});
// Allocates short-lived strings, some surviving a while, until V8 has grown the young generation
// as far as it may; answers its size in MB (both halves).
const churn = \`
  let keep = [];
  const end = Date.now() + 1500;
  while (Date.now() < end) {
    for (let i = 0; i < 1000; i++) keep.push('x'.repeat(3000) + i);
    if (keep.length > 20000) keep = keep.slice(10000);
  }
  const young = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  return young.space_size / 1048576;
\`;
const inThread = (start) =>
  new Promise((resolve, reject) => {
    // Imports that read the same as CommonJS and as a module (a worker inherits --input-type).
    const worker = start(\`Promise.all([import('node:v8'), import('node:worker_threads')]).then(
      ([{ getHeapSpaceStatistics }, { parentPort }]) => parentPort.postMessage((() => {\${churn}})()));\`);
    worker.once('message', (mb) => { void worker.terminate(); resolve(mb); });
    worker.once('error', reject);
  });
const limited = await inThread((code) => startWithYoungGeneration(8, () => new Worker(code, { eval: true })));
const later = await inThread((code) => new Worker(code, { eval: true }));
const eventLoop = new Function('getHeapSpaceStatistics', churn)(getHeapSpaceStatistics);
console.log(JSON.stringify({ limited, later, eventLoop }));
`;

describe('a thread started with its own young generation', () => {
  it('keeps to its bound while the event loop and later threads keep the process flag', async () => {
    const result = await run(process.execPath, [
      '--max-semi-space-size=64',
      '--import',
      'tsx',
      '--input-type=module',
      '--eval',
      SCRIPT,
    ]);
    expect(result.stderr).toBe('');
    const sizes = JSON.parse(result.stdout) as {
      limited: number;
      later: number;
      eventLoop: number;
    };
    expect(sizes.limited).toBeLessThanOrEqual(16);
    expect(sizes.later).toBeGreaterThan(32);
    expect(sizes.eventLoop).toBeGreaterThan(32);
  });
});
