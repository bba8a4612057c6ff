/**
 * Admitted requests start their work one per turn of Node's event loop, in the order admitted
 * (`shedLoad` asks for a turn only past half its bound, that is under overload).
 *
 * On Node an exchange's work (verifications, the decision, signing, sealing, the SQLite writes)
 * runs to its group-commit wait without giving the loop back, about 2.5 ms. Started from the
 * sockets' read callbacks, every request that arrived in one turn ran in that turn: under twice
 * the peak a turn lasted 85 ms, and since Node accepts one new connection per turn, clients on
 * new connections waited in the kernel's backlog for up to 19 s while the connections already open
 * were served. Handed out one per turn (`setImmediate`), a turn holds one request's work, the loop
 * goes on reading, accepting and shedding between them, and the order stays first come, first
 * served.
 *
 * @example
 * ```ts
 * createApp({ ...deps, waitForTurn: oneRequestPerTurn() });
 * ```
 */
export function oneRequestPerTurn(): () => Promise<void> {
  const waiting: (() => void)[] = [];
  let scheduled = false;
  const handOut = (): void => {
    waiting.shift()?.();
    scheduled = waiting.length > 0;
    if (scheduled) setImmediate(handOut);
  };
  return () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      if (!scheduled) {
        scheduled = true;
        setImmediate(handOut);
      }
    });
}
