import { describe, expect, it, beforeEach, vi } from 'vitest';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distill } from './distill.js';
import { planTaskKeepingPool } from './plan-task.js';
import { loadTask } from '../task/load.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { MemoryStore } from '../store/memory-store.js';
import { Emitter, type ApprenticeEvent } from '../events.js';
import { writeTopicTask } from '../../test/fixtures/topics.js';
import { evaluate } from '../metrics/index.js';
import { runLlmTopics } from '../../test/reliability/llm-topics.js';
import type { RoundCheckpoint } from '../loop/types.js';
import { RUN_FORMAT_VERSION } from './run-files.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apprentice-loop-'));
});

describe('distill with the dataset teacher (end to end, small data)', () => {
  it('trains a student that beats chance by far, writes a complete run directory, and keeps the budget exactly', async () => {
    // The pool (also the teacher's file) holds every gold row besides its own 400.
    const { taskPath } = writeTopicTask(dir, { budget: 120, goldInPool: true });
    const events: ApprenticeEvent[] = [];
    const emitter = new Emitter();
    emitter.on((e) => events.push(e));
    const summary = await distill(loadTask(taskPath), { outDir: join(dir, 'run'), store: new MemoryStore(), emitter });

    expect(summary.status).toBe('complete');
    expect(summary.teacher.kind).toBe('dataset');
    expect(summary.teacher.answers).toBe(120);
    expect(summary.stopReason).toBe('budget');
    expect(summary.final.split).toBe('gold');
    expect(summary.final.accuracy).toBeGreaterThan(0.8);
    expect(summary.rounds.length).toBeGreaterThan(1);
    // Answers grow round by round and never pass the cap.
    const answers = summary.rounds.map((r) => r.answers);
    expect(answers).toEqual([...answers].sort((a, b) => a - b));
    expect(Math.max(...answers)).toBeLessThanOrEqual(120);

    const run = join(dir, 'run');
    for (const f of [
      'run.json',
      'task.json',
      'model/student.bin',
      'model/card.json',
      'training.jsonl',
      'rejected.jsonl',
      'metrics.json',
      'events.jsonl',
      'summary.json',
      'report.html',
    ]) {
      expect(existsSync(join(run, f)), f).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(run, 'run.json'), 'utf8'))).toMatchObject({
      status: 'complete',
      formatVersion: RUN_FORMAT_VERSION,
    });
    expect(JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')).formatVersion).toBe(RUN_FORMAT_VERSION);
    // Every line of the event log is versioned and timed, in the order it was written.
    const lines = readFileSync(join(run, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.length).toBe(events.length);
    for (const line of lines) {
      expect(line.v, JSON.stringify(line)).toBe(RUN_FORMAT_VERSION);
      expect(line.ts, JSON.stringify(line)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    const times = lines.map((l) => Date.parse(l.ts));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const training = readFileSync(join(run, 'training.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(training.length).toBe(summary.trainingRows);
    const sources = new Set(training.map((t) => t.source));
    expect(sources).toEqual(new Set(['seed', 'pool', 'generated']));
    for (const t of training) {
      expect(typeof t.round).toBe('number');
      expect(t.teacher === 'user' || String(t.teacher).startsWith('dataset:')).toBe(true);
    }
    // No gold text is ever trained on, though the pool and the teacher's file hold every one: they
    // are set aside from the pool before anything is labeled, and never taken as generated rows.
    const gold = new Set(
      readFileSync(join(dir, 'gold.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).text),
    );
    expect(gold.size).toBe(120);
    expect(events.find((e) => e.type === 'data-loaded')).toMatchObject({ pool: 400, gold: 120 });
    expect(training.filter((t) => gold.has(t.text)).map((t) => t.text)).toEqual([]);

    const types = new Set(events.map((e) => e.type));
    for (const t of ['run-start', 'round-start', 'train-end', 'eval-end', 'round-end', 'run-end'] as const)
      expect(types.has(t), t).toBe(true);
    const report = readFileSync(join(run, 'report.html'), 'utf8');
    expect(report).toContain('dataset');
    // Diversity of what was trained on, from the rows themselves, also in summary.json.
    const saved = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8'));
    expect(saved.data.rows).toBe(summary.trainingRows);
    expect(saved.data.distinct1).toBeGreaterThan(0);
    expect(saved.data.distinct1).toBeLessThanOrEqual(1);
    expect(saved.data.labels.reduce((s: number, l: { rows: number }) => s + l.rows, 0)).toBe(summary.trainingRows);
  });

  it('with the leakage guard off, still trains on no gold text, from the pool or handed out as generated', async () => {
    // Without the near-copy guard, only exact-text guards stand between the gold rows (in the pool
    // and in the teacher's file) and training: the pool is cut by the eval file, and the gold texts
    // are reserved so the teacher's "generated" rows cannot bring them in either.
    const { taskPath } = writeTopicTask(dir, { budget: 100, goldInPool: true, data: { leakageGuard: false } });
    await distill(loadTask(taskPath), { outDir: join(dir, 'run'), store: new MemoryStore() });
    const gold = new Set(
      readFileSync(join(dir, 'gold.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).text),
    );
    const training = readFileSync(join(dir, 'run', 'training.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { text: string; source: string });
    expect(training.some((t) => t.source === 'generated')).toBe(true);
    expect(training.filter((t) => gold.has(t.text)).map((t) => t.text)).toEqual([]);
  });

  it("hands every round's student to onRound, and each scores on gold what that round recorded", async () => {
    const { taskPath, gold } = writeTopicTask(dir, { budget: 120 });
    const checkpoints: RoundCheckpoint[] = [];
    const summary = await distill(loadTask(taskPath), {
      outDir: join(dir, 'run'),
      store: new MemoryStore(),
      onRound: (c) => checkpoints.push(c),
    });
    expect(checkpoints.map((c) => [c.round, c.answers])).toEqual(summary.rounds.map((r) => [r.round, r.answers]));
    const goldRows = readFileSync(gold, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .map((r) => ({ text: r.text, labels: [r.label] }));
    // Each student is that round's own, not a later round's model seen through a shared object.
    checkpoints.forEach((c, i) =>
      expect(evaluate(c.student, goldRows).accuracy).toBeCloseTo(summary.rounds[i].gold!.accuracy, 10),
    );
    expect(new Set(checkpoints.map((c) => c.student)).size).toBe(checkpoints.length);
  });

  it('a re-run over the same cache makes zero new teacher requests and ends with the identical model', async () => {
    const { taskPath } = writeTopicTask(dir, { budget: 100 });
    const cache = join(dir, 'cache.sqlite');
    // Both runs start in the same second, as a killed run and its resumption often do: the second
    // run's ledger and totals must still be its own calls only.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-03-07T09:05:02Z'));
    let first: Awaited<ReturnType<typeof distill>>;
    let second: Awaited<ReturnType<typeof distill>>;
    try {
      first = await distill(loadTask(taskPath), { outDir: join(dir, 'a'), cachePath: cache });
      second = await distill(loadTask(taskPath), { outDir: join(dir, 'b'), cachePath: cache });
    } finally {
      vi.useRealTimers();
    }
    expect(second.runId).not.toBe(first.runId);
    expect(first.teacher.cacheHits).toBe(0);
    const store = new SqliteStore(cache);
    const calls = store.ledger(second.runId);
    store.close();
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((c) => c.cached)).toBe(true);
    expect(second.teacher.cacheHits).toBe(calls.length);
    expect(second.teacher.requests).toBe(0);
    expect(second.teacher.answers).toBe(first.teacher.answers);
    expect(readFileSync(join(dir, 'b/model/student.bin'))).toEqual(readFileSync(join(dir, 'a/model/student.bin')));
    expect(second.final.accuracy).toBe(first.final.accuracy);
  });

  it('a run handed the pool index its plan read (gold texts in it) trains exactly as one that reads the pool itself', async () => {
    const { taskPath } = writeTopicTask(dir, { budget: 100, goldInPool: true });
    const task = loadTask(taskPath);
    const own = await distill(task, { outDir: join(dir, 'own'), store: new MemoryStore() });
    const { plan, pool } = planTaskKeepingPool(task);
    const handed = await distill(task, { outDir: join(dir, 'handed'), store: new MemoryStore(), plan, pool });
    expect(handed.poolExcludedAsLeakage).toBe(own.poolExcludedAsLeakage);
    expect(handed.final.accuracy).toBe(own.final.accuracy);
    expect(readFileSync(join(dir, 'handed/training.jsonl'))).toEqual(readFileSync(join(dir, 'own/training.jsonl')));
    expect(readFileSync(join(dir, 'handed/model/student.bin'))).toEqual(
      readFileSync(join(dir, 'own/model/student.bin')),
    );
  });

  it('runs the random and margin baselines through the same loop, spending only pool labels', async () => {
    for (const strategy of ['random', 'margin']) {
      const sub = join(dir, strategy);
      const { taskPath } = writeTopicTask(sub, { budget: 80, strategy });
      const summary = await distill(loadTask(taskPath), { outDir: join(sub, 'run'), store: new MemoryStore() });
      expect(summary.teacher.answers).toBe(80);
      expect(summary.rounds.reduce((s, r) => s + r.added.generated, 0)).toBe(0);
      expect(summary.final.accuracy).toBeGreaterThan(0.6);
    }
  });

  it('without a gold file, validates on a teacher-labeled split that is never trained on', async () => {
    // An LLM teacher behind the fake server, so the texts it was asked to label before round 0
    // (the validation split) can be seen from outside. The leakage guard is off: it would set the
    // validation texts aside as copies of evaluation rows, hiding whether the split itself holds.
    const run = await runLlmTopics(dir, { noEval: true, budget: { answers: 150 }, data: { leakageGuard: false } });
    const { summary } = run;
    expect(summary.final.split).toBe('validation');
    expect(summary.final.n).toBeGreaterThan(10);
    expect(summary.teacher.answers).toBeLessThanOrEqual(150);
    expect(run.askedBeforeRounds.size).toBe(summary.final.n);
    // The rest of the pool was labeled for training, the validation texts never again.
    expect(run.training.filter((t) => t.source === 'pool').length).toBeGreaterThan(20);
    expect(run.training.filter((t) => run.askedBeforeRounds.has(t.text)).map((t) => t.text)).toEqual([]);
  });
});
