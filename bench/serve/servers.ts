import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '../..');
export const SYSTEM_PYTHON = '/usr/bin/python3';

export interface BenchServer {
  name: string;
  url: string;
  pid: number;
  stop(): Promise<void>;
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
    });
}

/** `apprentice serve` as a user runs it. */
export function startApprentice(modelFile: string, workers: number, log: (s: string) => void): Promise<BenchServer> {
  const child = spawn(
    process.execPath,
    [
      path.join(REPO_ROOT, 'bin/apprentice.mjs'),
      'serve',
      modelFile,
      '--name',
      'banking77',
      '--port',
      '0',
      '--workers',
      String(workers),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let err = '';
    let up = false;
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m && !up) {
        up = true;
        log(`apprentice serve: ${m[1]} (${workers} workers)`);
        resolve({ name: 'apprentice serve', url: m[1], pid: child.pid!, stop: stopper(child) });
      }
    });
    child.once('exit', (code) => reject(new Error(`apprentice serve exited (${code}):\n${err}`)));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** FastAPI + uvicorn with as many worker processes, serving the pickled scikit-learn pipeline. */
export async function startFastApi(pickle: string, workers: number, log: (s: string) => void): Promise<BenchServer> {
  const port = await freePort();
  const child = spawn(
    SYSTEM_PYTHON,
    ['-m', 'uvicorn', '--app-dir', HERE, 'fastapi_peer:app', '--host', '127.0.0.1', '--port', String(port)].concat([
      '--workers',
      String(workers),
      '--log-level',
      'warning',
      '--no-access-log',
    ]),
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, MODEL_PKL: pickle, MODEL_NAME: 'banking77' } },
  );
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const url = `http://127.0.0.1:${port}`;
  // uvicorn says nothing at --log-level warning once up: poll until every worker could answer.
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`uvicorn exited (${child.exitCode}):\n${err}`);
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) {
      log(`FastAPI + uvicorn: ${url} (${workers} workers)`);
      // Workers come up one by one; give the later ones time to import scikit-learn and load the pickle.
      await new Promise((r) => setTimeout(r, 5000));
      return { name: 'FastAPI + uvicorn (scikit-learn)', url, pid: child.pid!, stop: stopper(child) };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`uvicorn did not answer within 120 s:\n${err}`);
}
