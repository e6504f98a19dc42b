/**
 * Corrections flow back for extraction (issue 17 item 7): span decisions reviewers stored in the
 * studio's corrections file become `human` rows in the next `apprentice distill` of the extraction
 * task (the teacher never asked about them, nothing paid, rejected texts left out, counted in
 * summary.json), and `apprentice retrain` trains a new sequence student from a finished run's texts
 * with them applied, scoring span P/R/F1 on gold before and after. The dataset teacher answers
 * every pool text once (the budget is larger than the pool and round 0 takes all of it), so the
 * answers a run pays for are exactly the pool texts nobody reviewed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticConll } from '../../test/fixtures/conll.js';
import { readExtractGold } from '../loop/extract/pool.js';
import { readRunStatus } from '../run/run-files.js';
import { CORRECTIONS_FILE, type CorrectedSpan, CorrectionStore } from '../store/corrections.js';
import { runCli, tempDir } from './cli-harness.js';

const tmp = tempDir('apprentice-extract-corrections-');
afterAll(() => tmp.cleanup());

interface Span {
  start: number;
  end: number;
  type: string;
  text: string;
}
interface Row {
  text: string;
  spans: Span[];
  source: string;
  teacher: string;
  reviewer?: string;
}
interface Scores {
  precision: number;
  recall: number;
  f1: number;
  n: number;
}
interface Summary {
  kind: string;
  f1: number;
  precision: number;
  trainingRows: number;
  teacher: { answers: number };
  human?: { rows: number; unusable: number; file: string };
  retrain?: { of: string; before?: Scores; after: Scores; rows: number; human: number; unusable: number };
}

const jsonl = <T>(file: string): T[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
const plainSpans = (spans: readonly Span[]) => spans.map(({ start, end, type, text }) => ({ start, end, type, text }));

let plain: { summary: Summary; rows: Row[] };
let accepted: Row;
let edited: Row;
let rejected: Row;
let editedSpans: CorrectedSpan[];
let goldText: string;
let planetText: string;

async function cli(...args: string[]): Promise<Summary> {
  const r = await runCli(args, { cwd: tmp.dir });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Summary;
}
async function distill(out: string, ...flags: string[]) {
  const summary = await cli('distill', 'task.yaml', '--out', out, '--cache', 'cache.sqlite', '--json', ...flags);
  return { summary, rows: jsonl<Row>(path.join(tmp.dir, out, 'training.jsonl')) };
}

beforeAll(async () => {
  writeSyntheticConll(path.join(tmp.dir, 'train.conll'), 120, 1);
  writeSyntheticConll(path.join(tmp.dir, 'test.conll'), 40, 2, true);
  const init = await runCli(['init', '--from-dataset', 'train.conll'], { cwd: tmp.dir });
  expect(init.code, init.stderr).toBe(0);
  const yaml = readFileSync(path.join(tmp.dir, 'task.yaml'), 'utf8')
    .replace('# eval: test.txt', 'eval: ./test.conll')
    .replace(/answers: \d+/, 'answers: 1000')
    .replace(/strategy: [a-z-]+/, 'strategy: random\n  maxRounds: 0')
    .replace(/initialLabels: \d+/, 'initialLabels: 1000');
  writeFileSync(path.join(tmp.dir, 'task.yaml'), yaml);
  plain = await distill('runs/plain', '--no-corrections');
  const task = readRunStatus(path.join(tmp.dir, 'runs', 'plain'))!.task;
  const withSpans = plain.rows.filter((r) => r.source === 'random' && r.spans.length >= 2);
  [accepted, edited, rejected] = withSpans;
  // The reviewer retypes the first span and deletes the others.
  const other = edited.spans[0].type === 'city' ? 'person' : 'city';
  editedSpans = [{ ...plainSpans(edited.spans)[0], type: other }];
  expect(withSpans.length).toBeGreaterThan(5);
  const store = new CorrectionStore(path.join(tmp.dir, 'runs', CORRECTIONS_FILE));
  const base = { task, run: 'plain', labels: [] as string[] };
  store.add({
    ...base,
    textId: 'a',
    text: accepted.text,
    decision: 'accept',
    reviewer: 'ana',
    spans: plainSpans(accepted.spans),
  });
  store.add({ ...base, textId: 'b', text: edited.text, decision: 'relabel', reviewer: 'bo', spans: editedSpans });
  store.add({ ...base, textId: 'c', text: rejected.text, decision: 'unusable', reviewer: 'ana' });
  // Not used: a gold text (training on it would score the student on its own data), a span of a
  // type the task does not have, another task's decision, and an undone one.
  const gold = readExtractGold(path.join(tmp.dir, 'test.conll'), ['city', 'person', 'product']);
  goldText = gold[0].text;
  store.add({ ...base, textId: 'g', text: goldText, decision: 'accept', reviewer: 'ana', spans: gold[0].spans });
  const planet = withSpans[5];
  planetText = planet.text;
  store.add({
    ...base,
    textId: 'p',
    text: planet.text,
    decision: 'relabel',
    reviewer: 'ana',
    spans: [{ ...plainSpans(planet.spans)[0], type: 'planet' }],
  });
  store.add({ ...base, task: 'other', textId: 'o', text: withSpans[3].text, decision: 'unusable', reviewer: 'ana' });
  store.add({ ...base, textId: 'u', text: withSpans[4].text, decision: 'unusable', reviewer: 'cy' });
  store.undoLast('cy', task);
  store.close();
}, 300_000);

describe('apprentice distill of an extraction task with reviewers’ span corrections', () => {
  it('trains on the reviewers’ spans as human rows, asks the teacher nothing about them, leaves rejected texts out', async () => {
    const run = await distill('runs/corrected');
    const byText = new Map(run.rows.map((r) => [r.text, r]));
    expect(byText.get(accepted.text)).toMatchObject({ source: 'human', teacher: 'human', reviewer: 'ana' });
    expect(plainSpans(byText.get(accepted.text)!.spans)).toEqual(plainSpans(accepted.spans));
    expect(byText.get(edited.text)).toMatchObject({ source: 'human', teacher: 'human', reviewer: 'bo' });
    expect(plainSpans(byText.get(edited.text)!.spans)).toEqual(editedSpans);
    expect(byText.has(rejected.text)).toBe(false);
    const validation = jsonl<{ text: string }>(path.join(tmp.dir, 'runs', 'corrected', 'validation.jsonl'));
    expect(validation.map((v) => v.text)).not.toContain(rejected.text);
    expect(run.rows.filter((r) => r.source === 'human')).toHaveLength(2);
    expect(byText.has(goldText)).toBe(false);
    expect(byText.get(planetText)?.source).not.toBe('human');
    // Two reviewed, one rejected: three fewer answers than the same run without corrections.
    expect(run.summary.teacher.answers).toBe(plain.summary.teacher.answers - 3);
    expect(run.summary.human).toEqual({ rows: 2, unusable: 1, file: path.join(tmp.dir, 'runs', CORRECTIONS_FILE) });
    // The report and the events count them.
    const report = readFileSync(path.join(tmp.dir, 'runs', 'corrected', 'report.html'), 'utf8');
    expect(report).toMatch(
      /texts with reviewers' spans \(not paid for\) \/ rejected by reviewers<\/td><td class="num">2 \/ 1</,
    );
    const loaded = jsonl<{ type: string; human?: number; unusable?: number }>(
      path.join(tmp.dir, 'runs', 'corrected', 'events.jsonl'),
    ).find((e) => e.type === 'data-loaded');
    expect(loaded).toMatchObject({ human: 2, unusable: 1 });
  }, 300_000);

  it('--corrections <file> reads another file; --no-corrections reads none', async () => {
    const none = await distill('runs/none', '--corrections', 'missing.sqlite');
    expect(none.summary.human).toBeUndefined();
    expect(none.summary.teacher.answers).toBe(plain.summary.teacher.answers);
    expect(none.rows.some((r) => r.source === 'human')).toBe(false);
  }, 300_000);
});

describe('apprentice retrain of an extraction run', () => {
  it('trains a new sequence student with the corrections applied and scores span P/R/F1 before and after on gold', async () => {
    const s = await cli('retrain', 'runs/plain', '--json');
    expect(s.kind).toBe('extract');
    const r = s.retrain!;
    expect(r.of).toBe('plain');
    expect(r).toMatchObject({ rows: plain.summary.trainingRows, human: 2, unusable: 1 });
    // Before is the run's own student on the same gold texts.
    expect(r.before!.f1).toBeCloseTo(plain.summary.f1, 10);
    expect(r.before!.precision).toBeCloseTo(plain.summary.precision, 10);
    expect(r.after.f1).toBeCloseTo(s.f1, 10);
    expect(s.trainingRows).toBe(plain.summary.trainingRows - 1);
    expect(s.teacher.answers).toBe(0);
    const dir = path.join(tmp.dir, 'runs', path.basename((s as unknown as { dir: string }).dir));
    expect(readRunStatus(dir)?.status).toBe('complete');
    const rows = jsonl<Row>(path.join(dir, 'training.jsonl'));
    const byText = new Map(rows.map((x) => [x.text, x]));
    expect(byText.get(edited.text)).toMatchObject({ source: 'human', reviewer: 'bo' });
    expect(plainSpans(byText.get(edited.text)!.spans)).toEqual(editedSpans);
    expect(byText.has(rejected.text)).toBe(false);
    // Its report says it ran no rounds instead of drawing an empty curve.
    expect(readFileSync(path.join(dir, 'report.html'), 'utf8')).toContain('No rounds: this student was trained once');
  }, 300_000);

  it('without corrections retrains the same rows into the same student, and says so in plain text', async () => {
    const s = await cli('retrain', 'runs/plain', '--no-corrections', '--json');
    expect(s.retrain).toMatchObject({ human: 0, unusable: 0 });
    expect(s.retrain!.after.f1).toBeCloseTo(s.retrain!.before!.f1, 10);
    const text = await runCli(['retrain', 'runs/plain'], { cwd: tmp.dir });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^retrained plain → /);
    expect(text.stdout).toContain("2 with reviewers' spans, 1 left out as rejected");
    expect(text.stdout).toMatch(/F1 \d+\.\d% → \d+\.\d%/);
  }, 300_000);
});
