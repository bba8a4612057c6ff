import { describe, expect, it } from 'vitest';
import { nodeImportsOf } from './support/workerd-bundle.ts';

/**
 * The app factory and the domain modules must run on workerd as they are; the Workers entry too,
 * and the storage adapter it opens.
 */
describe('runtime independence', () => {
  it.each(['gateway/app.ts', 'core/index.ts', 'tenants/index.ts', 'gateway/worker.ts'])(
    '%s bundles for workerd without any Node built-in',
    async (entry) => {
      expect(await nodeImportsOf(entry)).toEqual([]);
    },
  );

  it('the check notices a Node built-in where there is one', async () => {
    expect((await nodeImportsOf('gateway/node.ts')).length).toBeGreaterThan(0);
  });
});
