import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Example } from '../../data/example.js';
import { RUN_FILES } from '../../run/run-files.js';
import { saveStudent, trainStudent } from '../../student/registry.js';
import { TOPIC_LABELS, topicRows } from '../../student/synthetic-topics.js';
import { textId } from '../../util/hash.js';
import { outOfFold } from './out-of-fold.js';
import { OutOfFoldJobs } from './out-of-fold-jobs.js';
import { RowIndex } from './row-index.js';

const root = mkdtempSync(join(tmpdir(), 'studio-oof-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Topic rows with one label deliberately wrong, written as a completed run with its (in-sample) student. */
function mislabeledRun(name: string): { dir: string; wrong: Example; truth: string } {
  const dir = join(root, name);
  mkdirSync(join(dir, 'model'), { recursive: true });
  const rows = topicRows(40, 21).map((r, i) => ({ ...r, text: `${r.text} #${i}` }));
  const at = 17;
  const truth = rows[at].labels[0];
  const wrongLabel = TOPIC_LABELS[(TOPIC_LABELS.indexOf(truth) + 2) % TOPIC_LABELS.length];
  rows[at] = { ...rows[at], labels: [wrongLabel] };
  const examples: Example[] = rows.map((r) => ({
    id: textId(r.text),
    text: r.text,
    labels: r.labels,
    source: 'pool',
    round: 0,
    teacher: 'dataset:topics.jsonl',
  }));
  writeFileSync(join(dir, RUN_FILES.training), `${examples.map((e) => JSON.stringify(e)).join('\n')}\n`);
  const task = {
    name,
    labels: TOPIC_LABELS.map((n) => ({ name: n })),
    seed: 5,
    student: { kind: 'hashed-linear', params: {} },
  };
  writeFileSync(join(dir, RUN_FILES.task), JSON.stringify(task));
  saveStudent(
    trainStudent('hashed-linear', rows, { labels: TOPIC_LABELS, multiLabel: false, seed: 5 }),
    join(dir, RUN_FILES.student),
  );
  return { dir, wrong: examples[at], truth };
}

describe('out-of-fold predictions', () => {
  it('flag a mislabeled training row that the run’s own student, trained on it, agrees with', () => {
    const { dir, wrong, truth } = mislabeledRun('direct');
    const rows = topicRows(40, 21).map((r, i) => ({ text: `${r.text} #${i}`, labels: r.labels }));
    rows[17] = { ...rows[17], labels: wrong.labels };
    const folds: number[] = [];
    const preds = outOfFold(
      rows,
      { kind: 'hashed-linear', params: {}, labels: TOPIC_LABELS, multiLabel: false, seed: 5 },
      (done) => folds.push(done),
    );
    expect(folds).toEqual([1, 2, 3, 4, 5]);
    expect(preds).toHaveLength(rows.length);
    expect(preds[17].labels).toEqual([truth]);
    // The point of holding rows out: the in-sample student learned the wrong label.
    const inSample = trainStudent('hashed-linear', rows, { labels: TOPIC_LABELS, multiLabel: false, seed: 5 });
    expect(inSample.predict(wrong.text).labels).toEqual(wrong.labels);
    expect(dir).toBeTruthy();
  });

  it('are computed on a worker, stored beside the row index, and rescore the disagreement filter and review order', async () => {
    const { dir, wrong, truth } = mislabeledRun('run');
    const file = join(root, '.studio', 'index.sqlite');
    const index = new RowIndex(file);
    const jobs = new OutOfFoldJobs(index, file);
    try {
      expect(index.ensure('run', dir).scoredBy).toBe('student');
      expect(index.page('run', { disagree: true }, { offset: 0, limit: 500 }).rows.map((r) => r.textId)).not.toContain(
        wrong.id,
      );
      expect(jobs.ensure('run', dir)).toMatchObject({ state: 'running', folds: 5 });
      // Asked again while it runs: the same job, not a second one.
      expect(jobs.ensure('run', dir).state).toBe('running');
      await jobs.idle();
      expect(jobs.ensure('run', dir)).toEqual({ state: 'done' });
      expect(index.ensure('run', dir).scoredBy).toBe('out-of-fold');
      const flagged = index.page('run', { disagree: true }, { offset: 0, limit: 500 });
      const row = flagged.rows.find((r) => r.textId === wrong.id);
      expect(row?.predicted).toEqual([truth]);
      expect(index.facets('run', {}).facets.disagree.find((v) => v.value === '1')?.rows).toBe(flagged.total);
      const queue = index.page('run', {}, { offset: 0, limit: 500, order: 'priority' });
      expect(queue.rows.findIndex((r) => r.textId === wrong.id)).toBeLessThan(flagged.total);
      // Stored on disk: a new index over the same file scores with them without recomputing.
      index.close();
      const again = new RowIndex(join(root, '.studio', 'index.sqlite'));
      expect(again.hasOutOfFold('run', dir)).toBe(true);
      expect(again.ensure('run', dir).scoredBy).toBe('out-of-fold');
      again.close();
    } finally {
      await jobs.close();
    }
  });
});
