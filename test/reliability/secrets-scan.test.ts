import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { runCli, tempDir, type CliResult } from '../../src/cli/cli-harness.js';
import { httpError, startFakeLlm, type FakeHandler, type FakeLlm } from '../fake-llm/index.js';
import { listFiles } from './support/run-state.js';
import { topicTeacher } from './support/topic-teacher.js';
import { writeFakeLlmTask } from './support/topic-task.js';

/**
 * The API key goes to the provider and nowhere else. A real key is used (the fake server checks
 * it arrived), the server echoes it back in error bodies the way providers do, and afterwards every
 * byte the CLI wrote, on disk or on the terminal, is searched for it.
 */

const KEY = `sk-test-${randomBytes(16).toString('hex')}`;
/** Any 10 characters of the key's random part: catches a key cut short or partly masked, too. */
const FRAGMENTS = Array.from({ length: KEY.length - 'sk-test-'.length - 9 }, (_, i) => KEY.slice(8 + i, 18 + i));

const tmp = tempDir('apprentice-secrets-');
let fake: FakeLlm;
let taskPath = '';
let honest: FakeHandler;
const outputs: { name: string; result: CliResult }[] = [];

const env = { OPENAI_API_KEY: KEY };
const distill = (name: string, extraEnv: Record<string, string> = {}) =>
  runCli(['distill', taskPath, '--out', name, '--cache', `${name}.sqlite`, '--json'], {
    cwd: tmp.dir,
    env: { ...env, ...extraEnv },
  }).then((result) => {
    outputs.push({ name, result });
    return result;
  });

/** The provider's 401, which (like OpenAI's) quotes the key it was given. */
const rejectKey: FakeHandler = (req) =>
  httpError(401, `Incorrect API key provided: ${String(req.headers.authorization ?? '').replace(/^Bearer /, '')}`);

beforeAll(async () => {
  fake = await startFakeLlm();
  const task = writeFakeLlmTask(tmp.dir, {
    model: 'openai:gpt-4o-mini',
    baseUrl: fake.baseUrl,
    budget: 60,
    teacher: { maxRetries: 2, retryBaseMs: 10 },
  });
  taskPath = task.taskPath;
  honest = topicTeacher({ truth: task.truth });
});

afterAll(async () => {
  await fake?.stop();
  tmp.cleanup();
});

function leaks(text: string): string[] {
  const found = text.includes(KEY) ? ['the whole key'] : [];
  return [...found, ...FRAGMENTS.filter((f) => text.includes(f)).map((f) => `fragment ${f}`)];
}

describe('the API key never leaves the Authorization header', () => {
  it('a full distill run, with a 500 that echoes the key on the way, sends the key and writes it nowhere', async () => {
    let first = true;
    fake.handler = (req) => {
      if (first) {
        first = false;
        return httpError(500, `upstream hiccup for key ${KEY}`, { 'retry-after-ms': '10' });
      }
      return honest(req);
    };
    fake.clear();
    const r = await distill('ok');
    expect(r.code, r.stderr).toBe(0);
    expect(fake.outcomes['500']).toBe(1);
    expect(fake.outcomes['200']).toBeGreaterThan(5);
    for (const q of fake.requests) expect(q.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('a run the provider refuses with 401 (key quoted in the body) fails with exit 4, key masked', async () => {
    fake.handler = rejectKey;
    fake.clear();
    const r = await distill('refused');
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/401/);
    // The echoed key did reach the message, masked: the scan below is not passing vacuously.
    expect(r.stderr).toMatch(/Incorrect API key provided: (\[redacted\]|\*\*\*)/);
    expect(fake.requests.length).toBeGreaterThan(0);
    for (const q of fake.requests) expect(q.headers.authorization).toBe(`Bearer ${KEY}`);

    // With the debug stack traces on, the causes printed must be masked too.
    const debug = await distill('refused-debug', { APPRENTICE_DEBUG: '1' });
    expect(debug.code, debug.stderr).toBe(4);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it('no file written and no terminal output holds the key or any 10 characters of it', () => {
    const files = listFiles(tmp.dir);
    const names = files.map((f) => relative(tmp.dir, f));
    // The scan covers what the runs wrote: run directories, events, reports, the SQLite caches.
    for (const expected of [
      'ok/run.json',
      'ok/events.jsonl',
      'ok/report.html',
      'ok/summary.json',
      'ok/training.jsonl',
      'ok.sqlite',
      'refused/run.json',
      'refused/events.jsonl',
      'refused.sqlite',
    ]) {
      expect(names).toContain(expected);
    }
    for (const f of files) expect(leaks(readFileSync(f).toString('latin1')), relative(tmp.dir, f)).toEqual([]);
    expect(outputs.length).toBe(3);
    for (const { name, result } of outputs) {
      expect(leaks(result.stdout), `${name} stdout`).toEqual([]);
      expect(leaks(result.stderr), `${name} stderr`).toEqual([]);
    }
  });

  it('the cache keeps no key even in its write-ahead log, read while the run is still going', async () => {
    // A run killed mid-way leaves cache.sqlite-wal behind; read it before SQLite folds it away.
    fake.handler = honest;
    let seen = 0;
    let walText = '';
    const r = await runCli(['distill', taskPath, '--out', 'wal', '--cache', 'wal.sqlite', '--json'], {
      cwd: tmp.dir,
      env,
      onSpawn: (child) => {
        fake.handler = (req) => {
          if (++seen === 12) {
            walText = listFiles(tmp.dir)
              .filter((f) => basename(f).startsWith('wal.sqlite'))
              .map((f) => readFileSync(f).toString('latin1'))
              .join('');
            child.kill('SIGKILL');
            return { kind: 'hang' };
          }
          return honest(req);
        };
      },
    });
    expect(r.signal).toBe('SIGKILL');
    expect(listFiles(tmp.dir).map((f) => basename(f))).toContain('wal.sqlite-wal');
    expect(walText).toContain('trace');
    expect(leaks(walText)).toEqual([]);
    for (const f of listFiles(join(tmp.dir))) expect(leaks(readFileSync(f).toString('latin1')), f).toEqual([]);
    expect(leaks(r.stdout + r.stderr)).toEqual([]);
  });
});
