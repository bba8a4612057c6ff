import { build, type Plugin } from 'esbuild';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { projectRoot } from './process.ts';

/**
 * Every Node built-in that `entry` (a path from the project root) reaches, each with the module
 * that imports it, found by bundling it the way wrangler does for workerd: browser platform,
 * worker conditions, no Node polyfills. Empty for code that runs on workerd as it is, whatever the
 * lint rules miss (a transitive import, a dependency's main file). `external` names packages the
 * runtime brings itself (e.g. `vitest` inside the workers pool).
 */
export async function nodeImportsOf(
  entry: string,
  options: { external?: string[] } = {},
): Promise<string[]> {
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
    external: options.external ?? [],
    logLevel: 'silent',
    plugins: [recordNode],
  });
  return [...found];
}
