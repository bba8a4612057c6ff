import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DocsAssetName, DocsAssets } from './routes/docs.ts';

/** Reads the API reference's files from the installed `swagger-ui-dist` package, once each. */
export function nodeDocsAssets(): DocsAssets {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('swagger-ui-dist/package.json'));
  const cache = new Map<DocsAssetName, Promise<Uint8Array<ArrayBuffer>>>();
  return {
    read(name) {
      let file = cache.get(name);
      if (!file) {
        file = readFile(join(root, name)).then((buffer) => Uint8Array.from(buffer));
        cache.set(name, file);
      }
      return file;
    },
  };
}
