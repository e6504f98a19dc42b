import { type ChildProcess, spawn } from 'node:child_process';
import { BIN } from './cli-harness.js';

/** Test support: `apprentice serve` as a child process, the way a user or a container runs it. */
export interface ServeChild {
  child: ChildProcess;
  url: string;
  /** Everything written so far (stdout and stderr together). */
  output(): string;
  /** Resolves once output matches. */
  waitFor(pattern: RegExp): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();

/** Kills servers a failed test left behind (call in afterAll). */
export function killServes(): void {
  for (const c of running) c.kill('SIGKILL');
}

/** Spawns the server; resolves once it logs its URL, rejects with its output if it exits first. */
export function spawnServe(
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined> },
): Promise<ServeChild> {
  const env: NodeJS.ProcessEnv = { ...process.env, APPRENTICE_DEBUG: '', NO_COLOR: '1', ...options.env };
  const child = spawn(process.execPath, [BIN, 'serve', ...args], {
    cwd: options.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.on('exit', () => running.delete(child));
  let out = '';
  const watchers: { pattern: RegExp; resolve: () => void }[] = [];
  const onData = (d: string) => {
    out += d;
    for (const w of [...watchers])
      if (w.pattern.test(out)) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve();
      }
  };
  child.stdout!.setEncoding('utf8').on('data', onData);
  child.stderr!.setEncoding('utf8').on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  const waitFor = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      if (pattern.test(out)) return resolve();
      watchers.push({ pattern, resolve });
      void exited.then(({ code }) => reject(new Error(`serve exited (${code}) before ${pattern}:\n${out}`)));
    });
  // The text log says "listening on URL"; the JSON log has "url":"URL".
  const listening = /listening on (http:\/\/\S+)|"type":"listening","url":"(http:[^"]+)"/;
  return waitFor(listening).then(() => {
    const m = listening.exec(out)!;
    return { child, url: (m[1] ?? m[2]).replace('0.0.0.0', '127.0.0.1'), output: () => out, waitFor, exited };
  });
}
