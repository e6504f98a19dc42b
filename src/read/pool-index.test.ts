import { describe, expect, it } from 'vitest';
import { PoolIndex, samplePositions } from './pool-index.js';
import { readTexts } from './read-texts.js';
import { dataError, tempFiles } from './read.fixture.js';
import { Rng } from '../util/random.js';
import { textId } from '../util/hash.js';

const { file } = tempFiles('apprentice-pool-index-');

/** The index's texts and counts, for comparing with readTexts. */
function indexed(path: string) {
  const index = PoolIndex.build(path);
  try {
    return {
      rows: [...index.texts(7)],
      duplicates: index.duplicates,
      skippedBlank: index.skippedBlank,
      format: index.format,
      hash: index.hash,
      size: index.size,
    };
  } finally {
    index.close();
  }
}

/** A pool with exact duplicates, whitespace variants, blank lines and multi-byte text, seeded. */
function messyPool(n: number, seed: number): string[] {
  const rng = new Rng(seed);
  const words = ['card', 'refund', 'pin', 'top-up', 'café', 'exchange', '日本', 'rate', 'blocked', 'why'];
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const len = 1 + rng.int(5);
    const text = Array.from({ length: len }, () => words[rng.int(words.length)]).join(rng.next() < 0.1 ? '  ' : ' ');
    lines.push(rng.next() < 0.05 ? '' : rng.next() < 0.1 ? ` ${text}\t` : text);
  }
  return lines;
}

describe('PoolIndex', () => {
  it('keeps the same texts, in the same order, with the same counts as readTexts (JSONL, lines, CSV)', () => {
    const lines = messyPool(20_000, 3);
    const jsonl = file('pool.jsonl', `${lines.map((t) => (t === '' ? '' : JSON.stringify({ text: t }))).join('\n')}\n`);
    const plain = file('pool.txt', `\ufeff${lines.join('\r\n')}`);
    const csv = file('pool.csv', `id,text\n${lines.map((t, i) => (t === '' ? '' : `${i},"${t}"`)).join('\n')}\n`);
    for (const path of [jsonl, plain, csv]) {
      const old = readTexts(path);
      const got = indexed(path);
      expect(got.rows).toEqual(old.rows);
      expect(got.size).toBe(old.rows.length);
      expect(got.duplicates).toBe(old.duplicates);
      expect(got.skippedBlank).toBe(old.skippedBlank);
      expect(got.format).toBe(old.format);
      expect(got.hash).toBe(old.hash);
      expect(old.duplicates).toBeGreaterThan(1000);
    }
  });

  it('reads texts back by position and answers membership by normalized text', () => {
    const index = PoolIndex.build(file('p.jsonl', '{"text":"a  b"}\n{"text":"c"}\n{"text":"a b"}\n{"input":"d"}\n'));
    try {
      expect(index.size).toBe(3);
      expect(index.textsAt([2, 0, 1])).toEqual(['d', 'a  b', 'c']);
      expect(index.has('a b')).toBe(true);
      expect(index.has(' c ')).toBe(true);
      expect(index.has('e')).toBe(false);
      expect(() => index.textAt(3)).toThrow(RangeError);
    } finally {
      index.close();
    }
  });

  it('leaves out excluded text ids (gold texts) and counts them', () => {
    const index = PoolIndex.build(file('p.txt', 'keep\ngold one\nGold two\ngold  one\nkeep\n'), {
      exclude: new Set([textId('gold one'), textId('Gold two')]),
    });
    try {
      expect([...index.texts()]).toEqual(['keep']);
      expect(index.excluded).toBe(2);
      expect(index.duplicates).toBe(2);
    } finally {
      index.close();
    }
  });

  it('withoutIds gives the index build(path, { exclude }) gives: positions, sizes and counts', () => {
    const rng = new Rng(3);
    const lines = Array.from({ length: 3000 }, () => `text ${rng.int(1200)}${rng.int(4) === 0 ? '  ' : ''}`);
    const path = file('without.txt', `${lines.join('\n')}\n\n`);
    const exclude = new Set([textId('text 5'), textId('text 77'), textId('text 1199'), textId('not in the file')]);
    const built = PoolIndex.build(path, { exclude });
    const later = PoolIndex.build(path).withoutIds(exclude);
    try {
      expect(later.excluded).toBeGreaterThan(0);
      for (const k of ['size', 'duplicates', 'skippedBlank', 'excluded', 'format', 'hash'] as const)
        expect(later[k], k).toEqual(built[k]);
      expect([...later.texts(13)]).toEqual([...built.texts(13)]);
      const probe = samplePositions(built.size, 50, new Rng(1));
      expect(later.textsAt(probe)).toEqual(built.textsAt(probe));
      expect(later.positionsOf(textId('text 6'))).toEqual(built.positionsOf(textId('text 6')));
      expect(later.has('text 5')).toBe(false);
    } finally {
      built.close();
      later.close();
    }
  });

  it('names the line of a bad row, as readTexts does, past the first read chunk', () => {
    const good = Array.from({ length: 60_000 }, (_, i) =>
      JSON.stringify({ text: `text number ${i} ${'x'.repeat(20)}` }),
    );
    const path = file('bad.jsonl', `${good.join('\n')}\n{"text": oops}\n`);
    const e = dataError(() => PoolIndex.build(path));
    expect(e.line).toBe(60_001);
    expect(e.message).toBe(dataError(() => readTexts(path)).message);
    const latin = file(
      'latin1.txt',
      Buffer.concat([Buffer.from('ok\nfine\ncaf'), Buffer.from([0xe9]), Buffer.from('\n')]),
    );
    expect(dataError(() => PoolIndex.build(latin)).line).toBe(3);
    expect(dataError(() => PoolIndex.build(file('empty.txt', ''))).message).toMatch(/empty/);
    expect(dataError(() => PoolIndex.build(file('blank.txt', '\n  \n'))).message).toMatch(/empty/);
  });
});

describe('samplePositions', () => {
  it('draws k distinct positions, the same ones for the same seed', () => {
    const a = samplePositions(1_000_000, 5000, new Rng(7));
    expect(new Set(a).size).toBe(5000);
    expect(a.every((p) => Number.isInteger(p) && p >= 0 && p < 1_000_000)).toBe(true);
    expect(samplePositions(1_000_000, 5000, new Rng(7))).toEqual(a);
    expect(samplePositions(1_000_000, 5000, new Rng(8))).not.toEqual(a);
    expect(samplePositions(10, 50, new Rng(1)).sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('is uniform: every position of a small range is drawn about equally often', () => {
    const counts = new Array(10).fill(0);
    const rng = new Rng(3);
    for (let t = 0; t < 20_000; t++) for (const p of samplePositions(10, 3, rng)) counts[p]++;
    for (const c of counts) expect(Math.abs(c - 6000)).toBeLessThan(400);
  });
});
