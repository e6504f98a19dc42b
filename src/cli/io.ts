/**
 * Where the CLI writes. Commands never touch `process.stdout` directly, so stdout can be kept clean
 * for `--json` and `main` can be driven from tests without spawning.
 */
export interface CliIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown; isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Where a question is answered (`distill` asking before a costly run); absent: nobody to ask. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

export function processIo(): CliIo {
  // `apprentice predict … | head` closes stdout early; that is the reader's choice, not a crash.
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.listenerCount('error') === 0) {
      stream.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE') throw error;
      });
    }
  }
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), stdin: process.stdin };
}
