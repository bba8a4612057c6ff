import { describe, expect, it } from 'vitest';
import { oneRequestPerTurn } from './node-turns.ts';

const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // the synchronous work of one exchange
  }
};

describe('oneRequestPerTurn', () => {
  it('hands out turns first come, first served', async () => {
    const waitForTurn = oneRequestPerTurn();
    const order: number[] = [];
    await Promise.all([1, 2, 3, 4].map((n) => waitForTurn().then(() => order.push(n))));
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('gives the event loop back between two turns, so timers and I/O run in between', async () => {
    const waitForTurn = oneRequestPerTurn();
    let ticks = 0;
    const tick = () => {
      ticks++;
      timer = setTimeout(tick, 0);
    };
    let timer = setTimeout(tick, 0);
    const seen: number[] = [];
    await Promise.all(
      [1, 2, 3].map(() =>
        waitForTurn().then(() => {
          seen.push(ticks);
          busy(5);
        }),
      ),
    );
    clearTimeout(timer);
    // All started in one turn, the timer would not have run between them.
    expect(seen[1]).toBeGreaterThan(seen[0] ?? Infinity);
    expect(seen[2]).toBeGreaterThan(seen[1] ?? Infinity);
  });

  it('starts a lone request in the next turn, and again after the line ran empty', async () => {
    const waitForTurn = oneRequestPerTurn();
    let started = 0;
    const start = () => waitForTurn().then(() => started++);
    await start();
    await start();
    await Promise.all([start(), start()]);
    expect(started).toBe(4);
  });
});
