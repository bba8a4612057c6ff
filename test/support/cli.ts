import { main } from '../../cli/main.ts';

/**
 * The CLI in process, as an operator runs it, with its output captured: the same `main` the bin
 * calls, without the second or so a spawned process costs. Use `run('cli/bin.mjs', …)` from
 * ./process.ts where the real entry matters.
 */
export async function cliInProcess(
  argv: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main([...argv], {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
  });
  return { code, stdout, stderr };
}
