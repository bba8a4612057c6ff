import { build, type Plugin } from 'esbuild';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from './support/process.ts';

/**
 * The app factory and the domain modules must run on workerd as they are. Bundling them the way
 * wrangler does (browser conditions, no Node polyfills) and recording every Node built-in they
 * reach proves it, whatever the lint rules miss (a transitive import, a dependency's main file).
 */
async function nodeImportsOf(entry: string): Promise<string[]> {
  const found = new Set<string>();
  const recordNode: Plugin = {
    name: 'record-node-builtins',
    setup(pluginBuild) {
      // Every built-in, with or without the node: prefix (pg asks for plain "dns" and "tls").
      const names = builtinModules.map((name) => name.replace(/[/\\^$.*+?()[\]{}|]/g, '\\$&'));
      pluginBuild.onResolve({ filter: new RegExp(`^node:|^(${names.join('|')})(/|$)`) }, (args) => {
        found.add(`${args.path} (from ${args.importer.replace(projectRoot, '')})`);
        return { path: args.path, external: true };
      });
    },
  };
  await build({
    entryPoints: [join(projectRoot, entry)],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    conditions: ['workerd', 'worker', 'browser'],
    logLevel: 'silent',
    plugins: [recordNode],
  });
  return [...found];
}

describe('runtime independence', () => {
  it.each(['gateway/app.ts', 'core/index.ts', 'tenants/index.ts'])(
    '%s bundles for workerd without any Node built-in',
    async (entry) => {
      expect(await nodeImportsOf(entry)).toEqual([]);
    },
  );

  it('the check notices a Node built-in where there is one', async () => {
    expect((await nodeImportsOf('gateway/node.ts')).length).toBeGreaterThan(0);
  });
});
