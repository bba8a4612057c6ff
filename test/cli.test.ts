import { afterEach, describe, expect, it } from 'vitest';
import { run } from './support/process.ts';
import { tempDir } from './support/temp.ts';

const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

describe('npx consent-gateway (the installed bin)', () => {
  it('prints its help', async () => {
    const result = await run('npx', ['--no-install', 'consent-gateway', '--help'], {
      env: { HOME: process.env['HOME'] ?? '' },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: consent-gateway');
  });

  it('exits 2 on an unknown verb and 0 after creating a tenant', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const bad = await run('cli/bin.mjs', ['nonsense']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown command: nonsense');
    const good = await run('cli/bin.mjs', ['init', '--tenant', 'kreis-lippe'], {
      env: { GATEWAY_DATA_DIR: dir.path },
    });
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('created tenant kreis-lippe');
  });
});
