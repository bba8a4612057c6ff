import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { watchFullGcs } from './gc-trace.ts';

// A real Node with --trace-gc, so the test reads the format this V8 writes, not a copy of it. A
// worker thread collects its small heap three times; then the main thread collects, keeps 3·10⁶
// doubles on its heap (24 MB), and collects again.
const PROGRAM = `
const { Worker } = require('node:worker_threads');
const worker = new Worker('for (let i = 0; i < 3; i++) globalThis.gc();', { eval: true });
worker.on('exit', () => {
  globalThis.gc();
  globalThis.kept = Array.from({ length: 3e6 }, (_, i) => i + 0.5);
  globalThis.gc();
});
`;

describe('watchFullGcs', () => {
  it("reads the event loop's full collections from a real --trace-gc, not a thread's", async () => {
    const child = spawn(process.execPath, ['--trace-gc', '--expose-gc', '-e', PROGRAM], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let clock = 0;
    const gcs = watchFullGcs(child.stdout, () => ++clock);
    await once(child, 'close');

    // Array.from may start collections of its own between the two the program asks for.
    const mainGcs = gcs.eventLoop();
    const [before, after] = [mainGcs[0], mainGcs.at(-1)];
    expect(after?.atMs).toBeGreaterThan(before?.atMs ?? Infinity);
    expect((after?.liveMB ?? 0) - (before?.liveMB ?? 0)).toBeGreaterThan(20);
    expect(after?.heapMB).toBeGreaterThanOrEqual(after?.liveMB ?? Infinity);
  });

  it('reads a line split across chunks once, and nothing from other lines', () => {
    const stream = new PassThrough();
    const gcs = watchFullGcs(stream, () => 7);
    stream.write(
      '{"level":30,"msg":"listening"}\n[1:0x1]  5 ms: Scavenge 9.0 (12.0) -> 8.0 (12.0) MB\n',
    );
    stream.write('[1:0x1]  9 ms: Mark-Compact (reduce) 63.0 (204.1) -> 3');
    stream.write('6.4 (192.6) MB, 15.21 / 0.04 ms\n');

    expect(gcs.eventLoop()).toEqual([{ atMs: 7, liveMB: 36.4, heapMB: 192.6 }]);
  });
});
