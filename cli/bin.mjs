#!/usr/bin/env node
// The CLI is TypeScript like the rest of the gateway. It runs from dist/cli.mjs, an esbuild bundle
// of cli/main.ts made at `npm ci`/`npm install` (scripts/build-cli.mjs), while every source file
// the bundle was built from is unchanged: a call then starts in a few hundred milliseconds instead
// of the seconds tsx takes to compile the sources. After a change the bundle is rebuilt on the
// next call (about a second); where that fails (no esbuild, a read-only install, a source esbuild
// cannot parse) the sources run through tsx as before, so a change never needs a build step.
import 'reflect-metadata';
import { readFileSync, statSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';

const bundle = new URL('../dist/cli.mjs', import.meta.url);
const manifest = new URL('../dist/cli.json', import.meta.url);
const root = new URL('..', import.meta.url);

/** True when dist/cli.mjs was built from the sources as they are now (one stat per source). */
function bundleIsFresh() {
  try {
    const { inputs } = JSON.parse(readFileSync(manifest, 'utf8'));
    return Object.entries(inputs).every(
      ([path, mtimeMs]) => statSync(new URL(path, root)).mtimeMs === mtimeMs,
    );
  } catch {
    return false;
  }
}

/** cli/main.ts's `main`: from the bundle, rebuilt if stale, else from the sources through tsx. */
async function loadMain() {
  if (bundleIsFresh()) return (await import(bundle.href)).main;
  try {
    const { buildCli } = await import('../scripts/build-cli.mjs');
    await buildCli();
    if (bundleIsFresh()) return (await import(bundle.href)).main;
  } catch {
    // Run the sources instead: tsx reports a broken source as the developer expects.
  }
  const { register } = await import('tsx/esm/api');
  register();
  return (await import('./main.ts')).main;
}

const main = await loadMain();
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
