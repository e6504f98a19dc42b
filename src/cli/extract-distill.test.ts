import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSyntheticConll } from '../../test/fixtures/conll.js';
import type { ExtractDistillSummary } from '../report/extract/types.js';
import { loadTask } from '../task/load.js';
import { runCli, tempDir } from './cli-harness.js';

const tmp = tempDir('apprentice-extract-e2e-');
afterAll(() => tmp.cleanup());

/** The task file init wrote, pointed at the test split, with the strategy asked for. */
function withEval(strategy: string): string {
  const yaml = readFileSync(path.join(tmp.dir, 'task.yaml'), 'utf8')
    .replace('# eval: test.txt', 'eval: ./test.conll')
    .replace('strategy: closed-loop', `strategy: ${strategy}`);
  const file = path.join(tmp.dir, `task-${strategy}.yaml`);
  writeFileSync(file, yaml);
  return file;
}

describe('extraction end to end: init --from-dataset on CoNLL, distill with the dataset teacher', () => {
  writeSyntheticConll(path.join(tmp.dir, 'train.conll'), 400, 1);
  // Unseen names in the test split: the student must generalize from context and shape.
  writeSyntheticConll(path.join(tmp.dir, 'test.conll'), 150, 2, true);

  it('init recognises CoNLL columns and writes a loadable extract task', async () => {
    const r = await runCli(['init', '--from-dataset', 'train.conll'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    const task = loadTask(path.join(tmp.dir, 'task.yaml'));
    expect(task.kind).toBe('extract');
    expect(task.labels.map((l) => l.name)).toEqual(['city', 'person', 'product']);
    expect(task.student.kind).toBe('sequence-perceptron');
    expect(task.spanSeeds!.length).toBeGreaterThan(0);
    expect(task.teacher.model).toBe(`dataset:${path.join(tmp.dir, 'train.conll')}`);
    // The extraction planner: one request a text, no dollars for the free dataset teacher.
    const plan = await runCli(['plan', 'task.yaml', '--json'], { cwd: tmp.dir });
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    const p = JSON.parse(plan.stdout);
    expect(p.answers).toBeGreaterThan(0);
    expect(p.requests).toBe(p.answers);
    expect(p.inputTokens).toBeGreaterThan(p.answers * 50);
    expect(p.dollars).toBeUndefined();
  });

  it('distill learns the spans (F1 far above chance) and writes spans, provenance, metrics and the report', async () => {
    const file = withEval('closed-loop');
    const r = await runCli(['distill', file, '--json', '--quiet', '--out', 'run-closed', '--cache', 'cache.sqlite'], {
      cwd: tmp.dir,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as ExtractDistillSummary;
    expect(s.kind).toBe('extract');
    expect(s.final).toEqual({ split: 'gold', n: 150 });
    // A tagger that marks nothing scores 0; one that guesses scores near it.
    expect(s.f1).toBeGreaterThan(0.7);
    expect(s.partialF1).toBeGreaterThanOrEqual(s.f1);
    expect(Object.keys(s.perType).sort()).toEqual(['city', 'person', 'product']);
    expect(s.curve.length).toBeGreaterThanOrEqual(2);
    expect(s.curve[0].arm).toBe('random');
    expect(s.curve[1].arm).toBe('uncertainty');
    for (const p of s.curve) expect(p.goldF1).toBeGreaterThan(0);
    expect(s.alignment.spans.gold).toBeGreaterThan(0);

    const dir = path.join(tmp.dir, 'run-closed');
    expect(JSON.parse(readFileSync(path.join(dir, 'run.json'), 'utf8')).status).toBe('complete');
    const rows = readFileSync(path.join(dir, 'training.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.length).toBe(s.trainingRows);
    // No text twice, none of the validation texts, every span where its offsets say.
    expect(new Set(rows.map((x) => x.text)).size).toBe(rows.length);
    const validationTexts = new Set(
      readFileSync(path.join(dir, 'validation.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).text),
    );
    for (const row of rows) {
      expect(validationTexts.has(row.text)).toBe(false);
      // `generated`: rows of the generation arms (closed-loop with the dataset teacher hands out file rows).
      expect(['seed', 'random', 'uncertainty', 'generated']).toContain(row.source);
      for (const sp of row.spans) expect(row.text.slice(sp.start, sp.end)).toBe(sp.text);
    }
    expect(rows.some((x) => x.source === 'uncertainty' && typeof x.uncertainty === 'number')).toBe(true);
    const report = readFileSync(path.join(dir, 'report.html'), 'utf8');
    for (const section of ['Learning curve', 'Per-type scores', 'Type confusion', 'Examples', 'Alignment'])
      expect(report).toContain(section);
    expect(report).toContain('<svg');
    expect(report).toContain('(missed)');
  });

  it('the random baseline arm runs on the same budget', async () => {
    const file = withEval('random');
    const r = await runCli(['distill', file, '--json', '--quiet', '--out', 'run-random', '--cache', 'cache.sqlite'], {
      cwd: tmp.dir,
    });
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as ExtractDistillSummary;
    expect(s.curve.every((p) => p.arm === 'random')).toBe(true);
    expect(s.f1).toBeGreaterThan(0.5);
  });
});
