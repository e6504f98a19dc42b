import { describe, expect, it } from 'vitest';
import { partCommit } from '../report/format.js';
import { mergeResults } from './results.js';
import type { BenchResults, DatasetResult } from './types.js';

const machine = { cpu: 'x', cores: 2, memoryGB: 1, os: 'linux', loadAverage: [0, 0, 0] };

function entry(dataset: string, commit: string | undefined, startedAt: string, loop: unknown): DatasetResult {
  return {
    dataset,
    commit,
    startedAt,
    command: 'npm run bench',
    loop,
    skipped: loop ? [] : ['loop: --skip-loop'],
  } as unknown as DatasetResult;
}

function run(commit: string, startedAt: string, datasets: DatasetResult[]): BenchResults {
  return {
    mode: 'full',
    commit,
    command: 'npm run bench',
    startedAt,
    finishedAt: startedAt,
    machine,
    versions: { node: 'v20', fasttext: null, sklearn: null, python: null, apprentice: '0' },
    datasets,
    runs: [{ startedAt, finishedAt: startedAt, datasets: datasets.map((d) => d.dataset), machine, commit }],
  };
}

describe('mergeResults', () => {
  it('keeps other datasets with their own commit and lets the newer run win its datasets', () => {
    const old = run('c1', 't1', [entry('trec', 'c1', 't1', { a: 1 }), entry('sst2', 'c1', 't1', null)]);
    const fresh = run('c2', 't2', [entry('trec', 'c2', 't2', { a: 2 })]);
    const m = mergeResults(old, fresh);
    expect(m.datasets.map((d) => [d.dataset, d.commit])).toEqual([
      ['trec', 'c2'],
      ['sst2', 'c1'],
    ]);
    expect(m.runs?.map((r) => r.commit)).toEqual(['c1', 'c2']);
  });

  it("carries parts a run left out from the earlier entry, labelled with that entry's commit", () => {
    const old = run('c1', 't1', [entry('trec', 'c1', 't1', { a: 1 })]);
    const m = mergeResults(old, run('c2', 't2', [entry('trec', 'c2', 't2', null)]));
    expect(m.datasets[0].loop).toEqual({ a: 1 });
    expect(m.datasets[0].commit).toBe('c2');
    expect(m.datasets[0].carried).toEqual([
      { parts: ['loop'], startedAt: 't1', commit: 'c1', command: 'npm run bench' },
    ]);
    expect(m.datasets[0].skipped).toEqual([]);
    expect(m.runs?.map((r) => r.startedAt)).toEqual(['t1', 't2']);
  });

  it("carries models (and their ratios) into a --skip-models run, and keeps a carried part's first origin", () => {
    const withModels = { ...entry('trec', 'c1', 't1', null), student: { accuracy: 0.9 }, ratios: { r: 1 } };
    const loopOnly = {
      ...entry('trec', 'c2', 't2', { a: 2 }),
      student: null,
      ratios: {},
      skipped: ['models: --skip-models'],
    };
    const m = mergeResults(
      run('c1', 't1', [withModels as unknown as DatasetResult]),
      run('c2', 't2', [loopOnly as unknown as DatasetResult]),
    );
    expect(m.datasets[0].student).toEqual({ accuracy: 0.9 });
    expect(m.datasets[0].ratios).toEqual({ r: 1 });
    expect(partCommit(m.datasets[0], 'student')).toBe('c1');
    expect(partCommit(m.datasets[0], 'loop')).toBe('c2');
    expect(m.datasets[0].skipped).toEqual([]);
    const again = mergeResults(
      m,
      run('c3', 't3', [{ ...loopOnly, commit: 'c3', startedAt: 't3' } as unknown as DatasetResult]),
    );
    expect(again.datasets[0].carried).toEqual([
      { parts: ['student'], startedAt: 't1', commit: 'c1', command: 'npm run bench' },
    ]);
  });

  it('keeps each carried part with its own commit when they come from two earlier runs', () => {
    // Models measured at c1; loop parts at c2 (models carried); then a run at c3 measuring only skill
    // targeting carries both: the models must still read c1 and the loop c2, not one of them for both.
    const models = { ...entry('trec', 'c1', 't1', null), student: { accuracy: 0.9 }, ratios: { r: 1 } };
    const loopOnly = { ...entry('trec', 'c2', 't2', { a: 2 }), student: null, ratios: {} };
    const skillsOnly = { ...entry('trec', 'c3', 't3', null), student: null, ratios: {}, skills: { s: 1 } };
    const m1 = mergeResults(
      run('c1', 't1', [models as unknown as DatasetResult]),
      run('c2', 't2', [loopOnly as unknown as DatasetResult]),
    );
    const m2 = mergeResults(m1, run('c3', 't3', [skillsOnly as unknown as DatasetResult]));
    const d = m2.datasets[0];
    expect(d.student).toEqual({ accuracy: 0.9 });
    expect(d.loop).toEqual({ a: 2 });
    expect(partCommit(d, 'student')).toBe('c1');
    expect(partCommit(d, 'loop')).toBe('c2');
    expect(partCommit(d, 'skills')).toBe('c3');
    expect(m2.runs?.map((r) => r.commit)).toEqual(['c1', 'c2', 'c3']);
  });

  it('reads an older entry whose carried parts are one object', () => {
    const old = {
      ...entry('trec', 'c2', 't2', { a: 2 }),
      student: { accuracy: 0.9 },
      carried: { parts: ['student'], startedAt: 't1', commit: 'c1', command: 'npm run bench' },
    };
    const m = mergeResults(
      run('c2', 't2', [old as unknown as DatasetResult]),
      run('c3', 't3', [{ ...entry('trec', 'c3', 't3', { a: 3 }), student: null } as unknown as DatasetResult]),
    );
    expect(partCommit(m.datasets[0], 'student')).toBe('c1');
    expect(partCommit(m.datasets[0], 'loop')).toBe('c3');
  });

  it('a checkpoint of the same run replaces its earlier checkpoint in the run list', () => {
    const first = mergeResults(null, run('c1', 't1', [entry('trec', 'c1', 't1', null)]));
    const second = mergeResults(first, run('c1', 't1', [entry('trec', 'c1', 't1', { a: 1 })]));
    expect(second.runs).toHaveLength(1);
    expect(second.datasets[0].loop).toEqual({ a: 1 });
  });

  it('drops entries without a commit instead of mixing them in', () => {
    const dropped: string[] = [];
    const old = run('c1', 't1', [entry('imdb', undefined, 't1', null)]);
    const m = mergeResults(old, run('c2', 't2', [entry('trec', 'c2', 't2', null)]), (s) => dropped.push(s));
    expect(m.datasets.map((d) => d.dataset)).toEqual(['trec']);
    expect(dropped.join()).toMatch(/imdb/);
  });

  it('with no earlier file is the run itself', () => {
    const fresh = run('c2', 't2', [entry('trec', 'c2', 't2', null)]);
    expect(mergeResults(null, fresh).runs).toHaveLength(1);
  });
});
