/** What a command may touch of its process: injected so tests run commands in-process. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** HTTP GET for commands that fetch (receipt verify --url); the global fetch when not given. */
  readonly fetch?: (url: string) => Promise<Response>;
}

/** Exit codes: 0 done, 1 the command failed, 2 the command line was wrong. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** A wrong command line: the message is shown on one line with where the usage is; exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
