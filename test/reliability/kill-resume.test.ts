import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { runCli, tempDir, type CliResult } from '../../src/cli/cli-harness.js';
import { Rng } from '../../src/util/random.js';
import { REQUIRED_FOR_COMPLETE } from '../../src/run/run-files.js';
import { startFakeLlm, type FakeHandler, type FakeLlm } from '../fake-llm/index.js';
import { cachedTraces, runStatus, tally } from './support/run-state.js';
import { traceOf, topicTeacher } from './support/topic-teacher.js';
import { writeFakeLlmTask } from './support/topic-task.js';

/**
 * kill -9 at seeded random moments, then the same command again. What is checked:
 * (a) a killed run never reads as complete;
 * (b) no answer stored before the kill is bought again, and nothing else is skipped: per request
 *     body, what the resumed run sends is exactly what the uninterrupted run sent minus what the
 *     cache already held (each answer carries a trace of its request, so the cache file says which);
 * (c) the final model is byte-identical to an uninterrupted run's.
 */

const CONCURRENCY = 2;
const tmp = tempDir('apprentice-kill-');
let fake: FakeLlm;
let base: FakeHandler;
let taskPath = '';
/** The uninterrupted run: 200-answered requests per trace, and its outputs. */
let reference: { perTrace: Map<string, number>; requests: number; model: Buffer; training: string };

const distillArgs = (out: string, cache: string) => [
  'distill',
  taskPath,
  '--out',
  out,
  '--cache',
  cache,
  '--json',
  '--quiet',
];

beforeAll(async () => {
  fake = await startFakeLlm();
  const task = writeFakeLlmTask(tmp.dir, {
    baseUrl: fake.baseUrl,
    budget: 150,
    batchSize: 4,
    concurrency: CONCURRENCY,
  });
  taskPath = task.taskPath;
  base = topicTeacher({ truth: task.truth });
  fake.handler = base;
  const r = await runCli(distillArgs('reference', 'reference.sqlite'), { cwd: tmp.dir });
  expect(r.code, r.stderr).toBe(0);
  expect(fake.requests.every((q) => q.outcome === 200)).toBe(true);
  reference = {
    perTrace: tally(fake.requests.map((q) => traceOf(q.body))),
    requests: fake.requests.length,
    model: readFileSync(join(tmp.dir, 'reference/model/student.bin')),
    training: readFileSync(join(tmp.dir, 'reference/training.jsonl'), 'utf8'),
  };
  // Enough requests that a kill lands among them, not only before or after.
  expect(reference.requests).toBeGreaterThan(30);
}, 300_000);

afterAll(async () => {
  await fake?.stop();
  tmp.cleanup();
});

/**
 * Where a kill lands. `request`: as request k arrives (it is never answered). `between`: a seeded
 * delay after request k was answered, while the client parses, trains or asks again (or at the
 * next request, whichever is first). `writing`: the moment `file` is in place in the run directory
 * (under its own name, or the temp name it is held under until the run is complete), while the
 * other outputs are still to be written: the process kills itself there (kill-after-write.mjs), so
 * the kill lands at that point whatever the machine's speed or load.
 */
type KillAt = { at: 'request' | 'between'; fraction: number; delayMs: number } | { at: 'writing'; file: string };

/** What writeRunOutputs writes, in order, before the run is marked complete (summary.json has its own trial). */
const OUTPUT_FILES = [
  'model/student.bin',
  'model/card.json',
  'training.jsonl',
  'rejected.jsonl',
  'metrics.json',
  'report.html',
];
const KILL_AFTER_WRITE = new URL('./support/kill-after-write.mjs', import.meta.url).href;

interface Trial {
  kills: KillAt[];
}

function plan(): Trial[] {
  const rng = new Rng(20_240_917);
  const point = (at: 'request' | 'between'): KillAt => ({
    at,
    fraction: 0.05 + 0.9 * rng.next(),
    delayMs: Math.round(rng.next() * 300),
  });
  return [
    { kills: [point('request')] },
    { kills: [point('request')] },
    { kills: [point('between')] },
    { kills: [point('between')] },
    // Killed, resumed, killed again: a resumption must itself be resumable.
    { kills: [point('request'), point('between')] },
    { kills: [{ at: 'writing', file: OUTPUT_FILES[rng.int(OUTPUT_FILES.length)] }] },
    // The moment the old code left a summary.json saying "complete" beside a run.json saying "running".
    { kills: [{ at: 'writing', file: 'summary.json' }] },
  ];
}

function describeKill(k: KillAt): string {
  if (k.at === 'writing') return `as ${k.file} was written`;
  return `${k.at === 'request' ? 'as a request arrived' : 'between requests'} ${Math.round(k.fraction * 100)}% of the way${k.at === 'between' ? ` +${k.delayMs}ms` : ''}`;
}

/** Runs the command and kills it as `kill` says. Resolves once the process is gone. */
function runAndKill(
  args: string[],
  kill: KillAt,
  outDir: string,
  remaining: number,
): Promise<CliResult & { killed: boolean }> {
  let child: ChildProcess | undefined;
  let killed = false;
  const killNow = () => {
    if (killed || !child) return;
    killed = child.kill('SIGKILL');
  };
  let env: Record<string, string> | undefined;
  if (kill.at === 'writing') {
    env = {
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${KILL_AFTER_WRITE}`.trim(),
      APPRENTICE_TEST_KILL_AFTER_WRITE: join(outDir, kill.file),
    };
  } else {
    // Counted among the requests this phase still has to send, so a resumed run is cut too.
    const k = Math.max(0, Math.min(remaining - 2, Math.floor(kill.fraction * remaining)));
    const killAt = kill.at === 'request' ? k : k + 1;
    fake.handler = (req) => {
      if (req.index >= killAt || killed) {
        killNow();
        return { kind: 'hang' };
      }
      if (kill.at === 'between' && req.index === k) setTimeout(killNow, kill.delayMs);
      return base(req);
    };
  }
  return runCli(args, { cwd: tmp.dir, env, onSpawn: (c) => (child = c) }).then((r) => {
    fake.handler = base;
    return { ...r, killed: killed || (kill.at === 'writing' && r.signal === 'SIGKILL') };
  });
}

/** 200-answered requests of this phase, per trace; then forgets them. */
function takeAnswered(): { answered: Map<string, number>; total: number } {
  const answered = tally(fake.requests.filter((q) => q.outcome === 200).map((q) => traceOf(q.body)));
  const total = fake.requests.length;
  fake.clear();
  return { answered, total };
}

describe('kill -9 at random moments, then the same command again', () => {
  const trials = plan();
  it.each(trials.map((t, i) => [i, t.kills.map(describeKill).join(', then ')] as const))(
    'trial %i: killed %s; resumed run matches an uninterrupted one',
    async (i) => {
      const trial = trials[i];
      const out = `trial-${i}`;
      const cache = join(tmp.dir, `trial-${i}.sqlite`);
      const outDir = join(tmp.dir, out);
      fake.clear();

      for (const kill of trial.kills) {
        const before = tally(cachedTraces(cache));
        const remaining = reference.requests - [...before.values()].reduce((a, b) => a + b, 0);
        const r = await runAndKill(distillArgs(out, cache), kill, outDir, remaining);
        const { answered } = takeAnswered();
        expect(r.killed, `not killed: exit ${r.code}\n${r.stderr}`).toBe(true);
        expect(r.signal).toBe('SIGKILL');

        // (a) A killed run never reads as finished: summary.json and report.html, which say
        // "complete", are not there under their own names, even when written just before the kill.
        expect(runStatus(outDir)).toBe('running');
        for (const f of ['summary.json', 'report.html'])
          expect(existsSync(join(outDir, f)), `${f} of a killed run`).toBe(false);
        if (kill.at === 'writing') {
          // It died where it was meant to: the file is there, under its own name or held.
          const file = join(outDir, kill.file);
          const there = readdirSync(dirname(file)).filter((n) => n.startsWith(basename(file)));
          expect(there.length, `${kill.file} written before the kill`).toBeGreaterThan(0);
        }

        // (b) Nothing already in the cache was bought again, and the cache kept what it had.
        const after = tally(cachedTraces(cache));
        for (const [trace, n] of answered) {
          expect(n, `request ${trace} re-bought`).toBeLessThanOrEqual(
            (reference.perTrace.get(trace) ?? 0) - (before.get(trace) ?? 0),
          );
        }
        for (const [trace, n] of before) expect(after.get(trace), `cache lost ${trace}`).toBeGreaterThanOrEqual(n);
        // Only answers still on the wire when the process died can be missing from the cache.
        const lost = [...answered].reduce(
          (s, [trace, n]) => s + n - ((after.get(trace) ?? 0) - (before.get(trace) ?? 0)),
          0,
        );
        expect(lost).toBeGreaterThanOrEqual(0);
        expect(lost).toBeLessThanOrEqual(CONCURRENCY);
      }

      // The same command again, no extra flags: it takes over the killed run's directory.
      const stored = tally(cachedTraces(cache));
      const r = await runCli(distillArgs(out, cache), { cwd: tmp.dir });
      const { answered, total } = takeAnswered();
      expect(r.code, r.stderr).toBe(0);
      const summary = JSON.parse(r.stdout) as { status: string; teacher: { requests: number; cacheHits: number } };
      expect(summary.status).toBe('complete');
      expect(runStatus(outDir)).toBe('complete');
      for (const f of REQUIRED_FOR_COMPLETE) expect(existsSync(join(outDir, f)), f).toBe(true);

      // (b) Exactly the answers the cache lacked were bought: none twice, none skipped.
      expect(total).toBe([...answered.values()].reduce((a, b) => a + b, 0));
      for (const [trace, n] of reference.perTrace) {
        expect(answered.get(trace) ?? 0, `requests for ${trace}`).toBe(n - Math.min(n, stored.get(trace) ?? 0));
      }
      for (const trace of answered.keys())
        expect(reference.perTrace.has(trace), `request ${trace} not in the uninterrupted run`).toBe(true);
      expect(summary.teacher.requests).toBe(total);
      expect(summary.teacher.cacheHits).toBe(reference.requests - total);

      // (c) Same model, byte for byte, and the same training rows.
      expect(readFileSync(join(outDir, 'model/student.bin')).equals(reference.model)).toBe(true);
      expect(readFileSync(join(outDir, 'training.jsonl'), 'utf8')).toBe(reference.training);
    },
  );
});

describe('the instant before a run is marked complete', () => {
  it('summary.json and report.html, which say "complete", stay out of sight until run.json does', async () => {
    const { RunDir } = await import('../../src/run/run-dir.js');
    const { loadTask } = await import('../../src/task/load.js');
    const dir = join(tmp.dir, 'held');
    const run = RunDir.create(dir, { runId: 'held-1', task: loadTask(taskPath) });
    run.writeJson('summary.json', { status: 'complete' });
    run.writeText('report.html', '<p>complete</p>');
    // A kill -9 here finds neither under its own name; a takeover clears them as temp files.
    expect(existsSync(join(dir, 'summary.json'))).toBe(false);
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
    for (const f of ['model/student.bin', 'model/card.json', 'training.jsonl', 'rejected.jsonl', 'metrics.json'])
      run.writeText(f, 'x');
    run.markComplete({ stopReason: 'budget' });
    expect(runStatus(dir)).toBe('complete');
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'))).toEqual({ status: 'complete' });
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toBe('<p>complete</p>');
  });
});

describe('without --out', () => {
  it('the same command again takes over the killed run directory instead of starting a new one', async () => {
    const cwd = join(tmp.dir, 'default-out');
    mkdirSync(cwd);
    const args = ['distill', taskPath, '--cache', 'cache.sqlite', '--json'];
    let child: ChildProcess | undefined;
    fake.clear();
    fake.handler = (req) => {
      if (req.index < 5) return base(req);
      child?.kill('SIGKILL');
      return { kind: 'hang' };
    };
    const killed = await runCli(args, { cwd, onSpawn: (c) => (child = c) });
    fake.handler = base;
    expect(killed.signal).toBe('SIGKILL');
    const [dir] = readdirSync(join(cwd, 'runs'));
    expect(runStatus(join(cwd, 'runs', dir))).toBe('running');

    const r = await runCli(args, { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`resuming the run killed in ${join(cwd, 'runs', dir)}`);
    expect((JSON.parse(r.stdout) as { dir: string }).dir).toBe(join(cwd, 'runs', dir));
    expect(readdirSync(join(cwd, 'runs'))).toEqual([dir]);
    expect(runStatus(join(cwd, 'runs', dir))).toBe('complete');
    expect(readFileSync(join(cwd, 'runs', dir, 'model/student.bin')).equals(reference.model)).toBe(true);

    // A finished run is never taken over: the next run gets a directory of its own (named by its
    // start, seconds after the killed run's).
    const again = await runCli(args, { cwd });
    expect(again.code, again.stderr).toBe(0);
    expect(readdirSync(join(cwd, 'runs'))).toHaveLength(2);
  });
});
