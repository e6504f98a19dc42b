import { describe, expect, it } from 'vitest';
import { LabeledIndex } from './labeled-index.js';
import { readLabeled } from './read-labeled.js';
import { dataError, tempFiles } from './read.fixture.js';
import { Rng } from '../util/random.js';

const { file } = tempFiles('apprentice-labeled-index-');

/** Labeled rows with duplicate texts (some with other labels), whitespace variants and blank lines. */
function messyRows(n: number, seed: number): string[] {
  const rng = new Rng(seed);
  const words = ['card', 'refund', 'pin', 'top-up', 'café', 'rate', 'why', 'blocked'];
  const labels = ['a', 'b', 'c'];
  return Array.from({ length: n }, () => {
    if (rng.next() < 0.03) return '';
    const text = Array.from({ length: 1 + rng.int(4) }, () => words[rng.int(words.length)]).join(
      rng.next() < 0.1 ? '  ' : ' ',
    );
    return JSON.stringify({ text, label: labels[rng.int(labels.length)] });
  });
}

describe('LabeledIndex', () => {
  it('holds the rows readLabeled reads, in order, with the same counts; finds a row by normalized text', () => {
    const path = file('l.jsonl', `${messyRows(5000, 2).join('\n')}\n`);
    const old = readLabeled(path, { allowedLabels: ['a', 'b', 'c'], multiLabel: false });
    const index = LabeledIndex.build(path, { allowedLabels: ['a', 'b', 'c'], multiLabel: false });
    try {
      expect([...index.rows(13)]).toEqual(old.rows);
      expect(index.rowsAt([2, 0])).toEqual([old.rows[2], old.rows[0]]);
      expect(index.labels()).toEqual([...new Set(old.rows.flatMap((r) => r.labels))]);
      expect(index.idsWithLabel('c')).toEqual(old.rows.flatMap((r, i) => (r.labels.includes('c') ? [i] : [])));
      expect([index.size, index.duplicates, index.conflicts, index.skippedBlank, index.hash]).toEqual([
        old.rows.length,
        old.duplicates,
        old.conflicts,
        old.skippedBlank,
        old.hash,
      ]);
      expect(old.conflicts).toBeGreaterThan(0);
      const row = old.rows[5];
      expect(index.find(` ${row.text.replace(' ', '\t ')} `)).toEqual({ id: 5, ...row });
      expect(index.find('not in the file')).toBeUndefined();
      expect(index.withLabel('b').map((r) => r.id)).toEqual(
        old.rows.flatMap((r, i) => (r.labels.includes('b') ? [i] : [])),
      );
    } finally {
      index.close();
    }
  });

  it('lists labels in the order a pass over the rows meets them, within a row too (multi-label)', () => {
    const rows = [
      { text: 'one', labels: ['b'] },
      { text: 'two', labels: ['c', 'a'] },
      { text: 'two ', labels: ['d'] },
      { text: 'three', labels: [] },
      { text: 'four', labels: ['a', 'e'] },
    ];
    const path = file('m.jsonl', `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const options = { allowedLabels: ['a', 'b', 'c', 'd', 'e'], multiLabel: true };
    const old = readLabeled(path, options);
    const index = LabeledIndex.build(path, options);
    try {
      expect(index.labels()).toEqual([...new Set(old.rows.flatMap((r) => r.labels))]);
      expect(index.labels()).toEqual(['b', 'c', 'a', 'e']);
      expect(index.idsWithLabel('a')).toEqual([1, 3]);
    } finally {
      index.close();
    }
  });

  it('fails as readLabeled does, naming the line', () => {
    const path = file('bad.jsonl', '{"text":"a","label":"a"}\n{"text":"b","label":"zzz"}\n');
    const e = dataError(() => LabeledIndex.build(path, { allowedLabels: ['a'] }));
    expect(e.line).toBe(2);
    expect(e.message).toBe(dataError(() => readLabeled(path, { allowedLabels: ['a'] })).message);
    expect(dataError(() => LabeledIndex.build(file('x.txt', 'a\n'))).message).toMatch(/JSONL/);
  });
});
