// @ts-check
/**
 * Bundles the CLI (cli/main.ts and every module it reaches) into dist/cli.mjs with esbuild, so a
 * call starts without transpiling TypeScript: tsx took 1.5–3 s per call, most of it compiling the
 * same few hundred files again. Packages stay external (node_modules is resolved as usual), so
 * the bundle holds only this project's code. Beside it, dist/cli.json lists every source file the
 * bundle was built from with its mtime: cli/bin.mjs uses the bundle only while all of them are
 * unchanged, else rebuilds it or runs the sources through tsx.
 *
 * esbuild comes with tsx (a dependency), so this works after `npm ci --omit=dev` too.
 * Run: `npm run build` (`node scripts/build-cli.mjs`); npm's `prepare` runs it with --if-possible.
 */
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL, URL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const BUNDLE = join(root, 'dist', 'cli.mjs');
export const MANIFEST = join(root, 'dist', 'cli.json');

/**
 * A module's `import.meta.url` as it was before bundling: sources find files beside them
 * (../migrations), and in the bundle every module would otherwise be dist/cli.mjs.
 *
 * @type {import('esbuild').Plugin}
 */
const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.tsx?$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      // The module lands in dist/cli.mjs or in dist/chunks/…: the project root is up one or two.
      const fromRoot = relative(root, args.path).split('\\').join('/');
      const up = `(/\\/chunks\\/[^/]*$/.test(import.meta.url) ? '../../' : '../')`;
      const url = `new URL(${JSON.stringify(fromRoot)}, new URL(${up}, import.meta.url)).href`;
      return {
        contents: source.replaceAll('import.meta.url', url),
        loader: args.path.endsWith('x') ? 'tsx' : 'ts',
      };
    });
  },
};

/**
 * Builds dist/cli.mjs, its chunks (one per command module, loaded when the command runs) and
 * dist/cli.json. Chunks have content-hashed names and go first, then the entry and the manifest
 * are renamed into place, so CLI calls running meanwhile see the old build or the new one whole.
 * A source changed while the build read it gets a manifest entry that cannot match, so the next
 * call sees the bundle as stale.
 *
 * @returns {Promise<void>}
 */
export async function buildCli() {
  const { build } = await import('esbuild');
  const started = Date.now();
  const result = await build({
    absWorkingDir: root,
    entryPoints: { cli: join(root, 'cli', 'main.ts') },
    outdir: dirname(BUNDLE),
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    metafile: true,
    legalComments: 'none',
    logLevel: 'silent',
    plugins: [ownImportMetaUrl],
  });
  /** @type {Record<string, number>} */
  const inputs = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    const { mtimeMs } = statSync(join(root, input));
    inputs[input] = mtimeMs >= started ? -1 : mtimeMs;
  }
  const suffix = `.${process.pid}.tmp`;
  const place = (/** @type {string} */ path, /** @type {string | Uint8Array} */ contents) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path + suffix, contents);
    renameSync(path + suffix, path);
  };
  const entry = result.outputFiles.find((file) => file.path === BUNDLE);
  if (entry === undefined) throw new Error('esbuild wrote no dist/cli.mjs');
  for (const file of result.outputFiles) if (file !== entry) place(file.path, file.contents);
  place(BUNDLE, entry.contents);
  place(MANIFEST, JSON.stringify({ inputs }));
  pruneChunks(new Set(result.outputFiles.map((file) => file.path)));
}

/**
 * Removes chunks of earlier builds. Only those an hour old: a call started before this build may
 * still load the chunks of the one it began with.
 *
 * @param {Set<string>} current
 */
function pruneChunks(current) {
  const dir = join(dirname(BUNDLE), 'chunks');
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (!current.has(path) && statSync(path).mtimeMs < Date.now() - 3_600_000) rmSync(path);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    await buildCli();
  } catch (error) {
    // At `npm ci` (--if-possible) a failed build must not fail the install: the CLI runs the
    // sources through tsx without the bundle, only slower to start.
    if (!process.argv.includes('--if-possible')) throw error;
    process.stderr.write(
      `build-cli: no bundle (${error instanceof Error ? error.message : String(error)}); the CLI runs its sources through tsx\n`,
    );
  }
}
