import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** A fresh directory under the system temp dir; `remove()` deletes it with everything in it. */
export function tempDir(prefix = 'cgw-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    remove: () => {
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/**
 * For a test file: `fresh()` makes a temp dir and answers its path; every dir made in a test is
 * removed after it.
 */
export function tempDirsPerTest(prefix = 'cgw-'): () => string {
  const dirs: { remove(): void }[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) dir.remove();
  });
  return () => {
    const dir = tempDir(prefix);
    dirs.push(dir);
    return dir.path;
  };
}
