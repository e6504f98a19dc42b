import { describe, expect, it } from 'vitest';
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

  it('carries loop parts a --skip-loop run left out only from the same commit, and says so', () => {
    const old = run('c1', 't1', [entry('trec', 'c1', 't1', { a: 1 })]);
    const same = mergeResults(old, run('c1', 't2', [entry('trec', 'c1', 't2', null)]));
    expect(same.datasets[0].loop).toEqual({ a: 1 });
    expect(same.datasets[0].carried).toEqual({ parts: ['loop'], startedAt: 't1' });
    expect(same.datasets[0].skipped).toEqual([]);

    const other = mergeResults(old, run('c2', 't2', [entry('trec', 'c2', 't2', null)]));
    expect(other.datasets[0].loop).toBeNull();
    expect(other.datasets[0].carried).toBeUndefined();
    expect(other.runs?.map((r) => r.startedAt)).toEqual(['t2']);
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
