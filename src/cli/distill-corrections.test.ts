/**
 * Corrections flow back (issue 15 item 5): reviewers' decisions in the studio's corrections file
 * replace the teacher's labels in the next `apprentice distill` of the task, are not paid for, and
 * are counted in run.json and the report. The dataset teacher answers locally, so every answer it
 * gives is one the gate counted; the pool is small enough that the budget labels all of it, so the
 * answers a run pays for are exactly the pool texts nobody reviewed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRunStatus } from '../run/run-files.js';
import { CORRECTIONS_FILE, CorrectionStore } from '../store/corrections.js';
import { REPO_ROOT, runCli, tempDir } from './cli-harness.js';

const EXAMPLE = path.join(REPO_ROOT, 'examples', 'support-routing');
const tmp = tempDir('apprentice-corrections-');
afterAll(() => tmp.cleanup());

interface Row {
  text: string;
  labels: string[];
  source: string;
  teacher: string;
  reviewer?: string;
}
interface Scores {
  accuracy: number;
  macroF1: number;
  n: number;
}
interface Summary {
  status: string;
  stopReason: string;
  trainingRows: number;
  final: Scores;
  retrain?: { of: string; before?: Scores; after: Scores; rows: number; human: number; unusable: number };
  teacher: { answers: number; requests: number };
  human?: { rows: number; unusable: number; file: string };
}

const jsonl = <T>(file: string): T[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);

const labeled = jsonl<{ text: string; label: string }>(path.join(EXAMPLE, 'labeled.jsonl'));
const gold = jsonl<{ text: string; label: string }>(path.join(EXAMPLE, 'gold.jsonl'));
const POOL = labeled.slice(0, 90);
const relabeled = POOL[3];
const accepted = POOL[10];
const unusable = POOL[20];
const otherLabel = relabeled.label === 'general' ? 'billing' : 'general';

beforeAll(() => {
  writeFileSync(path.join(tmp.dir, 'pool.jsonl'), POOL.map((r) => JSON.stringify({ text: r.text })).join('\n'));
  const task = {
    name: 'routing-small',
    instruction: 'Route the customer-support message to one team.',
    labels: [...new Set(labeled.map((r) => r.label))].map((name) => ({ name })),
    pool: './pool.jsonl',
    eval: path.join(EXAMPLE, 'gold.jsonl'),
    teacher: { model: `dataset:${path.join(EXAMPLE, 'labeled.jsonl')}` },
    student: { kind: 'hashed-linear' },
    // More answers than pool texts: without corrections every pool text is labeled once.
    budget: { answers: 200 },
    loop: { strategy: 'random', initialLabels: 200, initialGeneratePerLabel: 0, maxRounds: 1 },
    seed: 7,
  };
  writeFileSync(path.join(tmp.dir, 'task.json'), JSON.stringify(task));

  const store = new CorrectionStore(path.join(tmp.dir, 'runs', CORRECTIONS_FILE));
  const base = { task: 'routing-small', run: 'routing-small-earlier', reviewer: 'ana' };
  store.add({ ...base, textId: 'a', text: relabeled.text, labels: [otherLabel], decision: 'relabel' });
  store.add({
    ...base,
    textId: 'b',
    text: accepted.text,
    labels: [accepted.label],
    decision: 'accept',
    reviewer: 'bo',
  });
  store.add({ ...base, textId: 'c', text: unusable.text, labels: [], decision: 'unusable' });
  // Not used: an evaluation text (training on it would leak), another task's row, an undone decision.
  store.add({ ...base, textId: 'g', text: gold[0].text, labels: [gold[0].label], decision: 'accept' });
  store.add({ ...base, task: 'other', textId: 'o', text: POOL[30].text, labels: ['billing'], decision: 'relabel' });
  store.add({ ...base, reviewer: 'cy', textId: 'u', text: POOL[40].text, labels: ['billing'], decision: 'relabel' });
  store.undoLast('cy', 'routing-small');
  store.close();
});

async function distill(out: string, ...flags: string[]): Promise<{ summary: Summary; rows: Row[]; dir: string }> {
  const r = await runCli(['distill', 'task.json', '--out', out, '--cache', 'cache.sqlite', '--json', ...flags], {
    cwd: tmp.dir,
  });
  expect(r.code, r.stderr).toBe(0);
  const summary = JSON.parse(r.stdout) as Summary;
  const dir = path.join(tmp.dir, out);
  return { summary, rows: jsonl<Row>(path.join(dir, 'training.jsonl')), dir };
}

describe('apprentice distill with reviewers’ corrections', () => {
  let without: Summary;

  it('--no-corrections: every pool text is the teacher’s, each paid one answer', async () => {
    const run = await distill('runs/plain', '--no-corrections', '--quiet');
    without = run.summary;
    expect(without.teacher.answers).toBe(POOL.length);
    expect(without.human).toBeUndefined();
    expect(run.rows.filter((r) => r.source === 'human')).toEqual([]);
    expect(run.rows.map((r) => r.text)).toContain(unusable.text);
  });

  it('by default reads <runs>/.studio/corrections.sqlite: human labels in place of the teacher’s, none paid for', async () => {
    const run = await distill('runs/corrected');
    const byText = new Map(run.rows.map((r) => [r.text, r]));
    expect(byText.get(relabeled.text)).toMatchObject({
      labels: [otherLabel],
      source: 'human',
      teacher: 'human',
      reviewer: 'ana',
    });
    expect(byText.get(accepted.text)).toMatchObject({ labels: [accepted.label], source: 'human', reviewer: 'bo' });
    expect(byText.has(unusable.text)).toBe(false);
    expect(byText.has(gold[0].text)).toBe(false);
    // The undone decision and the other task's are the teacher's rows again.
    expect(byText.get(POOL[40].text)).toMatchObject({ labels: [POOL[40].label], source: 'pool' });
    expect(byText.get(POOL[30].text)?.source).toBe('pool');
    expect(run.rows.filter((r) => r.source === 'human')).toHaveLength(2);

    // Two labeled by people, one unusable: three fewer answers than the same run without them.
    expect(run.summary.teacher.answers).toBe(without.teacher.answers - 3);
    expect(run.summary.teacher.requests).toBe(0);
    expect(run.summary.human).toEqual({
      rows: 2,
      unusable: 1,
      file: path.join(tmp.dir, 'runs', CORRECTIONS_FILE),
    });
    const report = readFileSync(path.join(run.dir, 'report.html'), 'utf8');
    expect(report).toContain('2 labeled by reviewers (not paid for), 1 marked unusable');
    expect(report).toMatch(/human <strong>2<\/strong>/);
    const card = readFileSync(path.join(run.dir, 'model', 'MODEL_CARD.md'), 'utf8');
    expect(card).toMatch(/\| human \| 2 \|/);
  });

  it('the printed summary counts the reviewers’ rows', async () => {
    const r = await runCli(['distill', 'task.json', '--out', 'runs/printed', '--cache', 'cache.sqlite', '--quiet'], {
      cwd: tmp.dir,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/training rows \d+ +\(2 labeled by reviewers, not paid for\)/);
  });

  it('--corrections <file> points elsewhere (a file with none of this task’s: no human rows)', async () => {
    const elsewhere = path.join(tmp.dir, 'elsewhere.sqlite');
    new CorrectionStore(elsewhere).close();
    const run = await distill('runs/elsewhere', '--corrections', 'elsewhere.sqlite', '--quiet');
    expect(run.summary.human).toEqual({ rows: 0, unusable: 0, file: elsewhere });
    expect(run.summary.teacher.answers).toBe(without.teacher.answers);
  });

  it('apprentice export hf-dataset keeps provenance human and the reviewer', async () => {
    const r = await runCli(['export', 'hf-dataset', 'runs/corrected', '--out', 'hf', '--json'], { cwd: tmp.dir });
    expect(r.code, r.stderr).toBe(0);
    const rows = ['train.jsonl', 'validation.jsonl'].flatMap((f) =>
      jsonl<{ text: string; label: string; source: string; teacher: string; reviewer: string | null }>(
        path.join(tmp.dir, 'hf', f),
      ),
    );
    expect(rows.find((x) => x.text === relabeled.text)).toMatchObject({
      label: otherLabel,
      source: 'human',
      teacher: 'human',
      reviewer: 'ana',
    });
    expect(rows.find((x) => x.text === POOL[40].text)).toMatchObject({ source: 'pool', reviewer: null });
    expect(rows.some((x) => x.text === unusable.text)).toBe(false);
    expect(readFileSync(path.join(tmp.dir, 'hf', 'README.md'), 'utf8')).toMatch(/\| human \| 2 \|/);
  });
});

describe('apprentice retrain', () => {
  it('trains on a run’s rows with the corrections applied, asks no teacher, and scores before and after on gold', async () => {
    const r = await runCli(['retrain', 'runs/plain', '--json'], { cwd: tmp.dir });
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as Summary & { dir: string };
    const plain = JSON.parse(readFileSync(path.join(tmp.dir, 'runs', 'plain', 'summary.json'), 'utf8')) as Summary;
    expect(path.dirname(summary.dir)).toBe(path.join(tmp.dir, 'runs'));
    expect(readRunStatus(summary.dir)).toMatchObject({ status: 'complete', stopReason: 'retrain' });
    expect(summary.retrain).toMatchObject({ of: 'plain', rows: plain.trainingRows, human: 2, unusable: 1 });
    // Before: the original student on the same gold rows, which is what its run reported.
    expect(summary.retrain?.before).toEqual({
      accuracy: plain.final.accuracy,
      macroF1: plain.final.macroF1,
      n: plain.final.n,
    });
    expect(summary.retrain?.after).toEqual({
      accuracy: summary.final.accuracy,
      macroF1: summary.final.macroF1,
      n: gold.length,
    });
    expect(summary.trainingRows).toBe(plain.trainingRows - 1);
    expect(summary.teacher.answers).toBe(0);
    const rows = jsonl<Row>(path.join(summary.dir, 'training.jsonl'));
    expect(rows.find((x) => x.text === relabeled.text)).toMatchObject({
      labels: [otherLabel],
      source: 'human',
      reviewer: 'ana',
    });
    expect(rows.some((x) => x.text === unusable.text)).toBe(false);
    expect(readFileSync(path.join(summary.dir, 'report.html'), 'utf8')).toContain('2 labeled by reviewers');

    const human = await runCli(['retrain', 'runs/plain', '--out', 'runs/again'], { cwd: tmp.dir });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/retrained plain → runs\/again/);
    expect(human.stdout).toMatch(/2 labeled by reviewers, 1 left out as unusable/);
    expect(human.stdout).toMatch(/accuracy \d+\.\d% → \d+\.\d%/);
  });

  it('with no corrections, retraining reproduces the run’s own student: before and after are the same', async () => {
    const r = await runCli(['retrain', 'runs/plain', '--no-corrections', '--json'], { cwd: tmp.dir });
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as Summary;
    expect(summary.retrain?.after).toEqual(summary.retrain?.before);
    expect(summary.retrain).toMatchObject({ human: 0, unusable: 0 });
    expect(summary.human).toBeUndefined();
  });

  it('refuses a directory that is not a complete run, naming it', async () => {
    const r = await runCli(['retrain', 'nowhere'], { cwd: tmp.dir });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/nowhere is not a run directory/);
  });
});
