import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../test/support/process.ts';
import { tempDir } from '../test/support/temp.ts';
import { DataDirLockedError, lockDataDir } from './data-dir-lock.ts';

describe('lockDataDir', () => {
  const dirs: { remove(): void }[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) dir.remove();
  });
  const fresh = (): string => {
    const dir = tempDir('cgw-lock-');
    dirs.push(dir);
    return dir.path;
  };

  it('refuses a second holder of the same data dir while the first holds it', () => {
    const dataDir = fresh();
    const first = lockDataDir(dataDir);
    expect(() => lockDataDir(dataDir)).toThrow(DataDirLockedError);
    try {
      lockDataDir(dataDir);
    } catch (error) {
      expect(error).toMatchObject({ code: 'ERR_DATA_DIR_LOCKED', dataDir });
    }
    first.release();
  });

  it('lets the next holder in once the first released it', () => {
    const dataDir = fresh();
    lockDataDir(dataDir).release();
    const second = lockDataDir(dataDir);
    second.release();
    second.release();
  });

  it('creates a data dir that does not exist yet', () => {
    const lock = lockDataDir(`${fresh()}/not/yet`);
    lock.release();
  });

  it('is not stale after its holder was killed with SIGKILL', async () => {
    const dataDir = fresh();
    const holder = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `const { lockDataDir } = await import('./gateway/data-dir-lock.ts');
         lockDataDir(process.argv[1]); process.stdout.write('locked\\n'); setInterval(() => {}, 1000);`,
        dataDir,
      ],
      { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('locked')) resolve();
        });
        holder.once('exit', (code) => {
          reject(new Error(`lock holder exited with ${String(code)}`));
        });
      });
      expect(() => lockDataDir(dataDir)).toThrow(DataDirLockedError);
      const gone = new Promise((resolve) => holder.once('exit', resolve));
      holder.kill('SIGKILL');
      await gone;
      lockDataDir(dataDir).release();
    } finally {
      if (holder.exitCode === null && holder.signalCode === null) holder.kill('SIGKILL');
    }
  });
});
