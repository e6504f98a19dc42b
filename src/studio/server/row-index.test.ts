import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Example } from '../../data/example.js';
import { writeBigRun } from './big-run.fixture.js';
import { RowIndex, type RowFilter } from './row-index.js';

let dir: string;
let index: RowIndex;
let examples: Example[];
let flagged: Set<string>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'studio-index-'));
  writeBigRun(join(dir, 'big'), 3000);
  examples = readFileSync(join(dir, 'big', 'training.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  flagged = new Set(
    readFileSync(join(dir, 'big', 'review.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).text),
  );
  index = new RowIndex(join(dir, '.studio', 'index.sqlite'));
  index.ensure('big', join(dir, 'big'));
});
afterAll(() => {
  index.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The same filter written out over the file, to hold the SQL to. */
function brute(f: RowFilter): Example[] {
  return examples.filter(
    (e) =>
      (f.label === undefined || e.labels.includes(f.label)) &&
      (f.source === undefined || e.source === f.source) &&
      (f.round === undefined || e.round === f.round) &&
      (f.strategy === undefined || (e.attributes?.strategy ?? e.source) === f.strategy) &&
      (f.flagged === undefined || flagged.has(e.text) === f.flagged) &&
      (f.q === undefined || e.text.toLowerCase().includes(f.q.toLowerCase())),
  );
}

describe('row index', () => {
  it.each<RowFilter>([
    {},
    { label: 'sports' },
    { source: 'generated' },
    { round: 3, source: 'pool' },
    { strategy: 'weak-label' },
    { flagged: true },
    { q: 'FORECAST' },
    { q: 'fo' },
    { q: '#12' },
    { label: 'cooking', q: 'goal', source: 'pool' },
  ])('filter %j matches the file row for row, with counts per facet value', (f) => {
    const want = brute(f);
    const facets = index.facets('big', f);
    expect(facets.total).toBe(want.length);
    const page = index.page('big', f, { offset: 0, limit: 500 });
    expect(page.total).toBe(want.length);
    expect(page.rows.map((r) => r.textId)).toEqual(want.slice(0, 500).map((e) => e.id));
    // Each facet counts under the other filters: its own values add up to that wider set.
    const sources = brute({ ...f, source: undefined });
    for (const { value, rows } of facets.facets.source)
      expect(rows).toBe(sources.filter((e) => e.source === value).length);
    const labelSum = facets.facets.label.reduce((a, v) => a + v.rows, 0);
    expect(labelSum).toBe(brute({ ...f, label: undefined }).length);
  });

  it('names the reviewer of a human row', () => {
    const page = index.page('big', { source: 'human' }, { offset: 0, limit: 50 });
    expect(page.total).toBe(examples.filter((e) => e.source === 'human').length);
    expect(page.total).toBeGreaterThan(0);
    for (const r of page.rows) expect(r.teacher).toBe('human (ana)');
  });

  it('scores rows with the run’s student: disagreements are mostly the flipped labels, and come first for review', () => {
    const disagree = index.page('big', { disagree: true }, { offset: 0, limit: 5000 });
    expect(disagree.total).toBeGreaterThan(50);
    for (const r of disagree.rows) expect(r.predicted).not.toEqual(r.labels);
    const queue = index.page('big', {}, { offset: 0, limit: 100, order: 'priority' });
    expect(queue.rows[0].flagged || queue.rows[0].disagree).toBe(true);
    for (let i = 1; i < queue.rows.length; i++)
      expect(queue.rows[i - 1].priority).toBeGreaterThanOrEqual(queue.rows[i].priority);
  });

  it.each<[RowFilter, string]>([
    [{ disagree: true }, 'disagree = 1'],
    [{ low: false, source: 'pool' }, "low = 0 AND source = 'pool'"],
    [{ predicted: 'sports', flagged: false }, "pred = 'sports' AND flagged = 0"],
    [{ label: 'cooking', disagree: true, round: 2 }, "label = 'cooking' AND disagree = 1 AND round = 2"],
  ])('in-memory columns answer %j as SQL over the table does, in review order and with flag facets', (f, sql) => {
    const want = index.db
      .prepare(`SELECT idx, disagree, low FROM rows WHERE run = 'big' AND ${sql} ORDER BY priority DESC, idx`)
      .all() as { idx: number; disagree: number; low: number }[];
    const page = index.page('big', f, { offset: 3, limit: 40, order: 'priority' });
    expect(page.total).toBe(want.length);
    expect(page.rows.map((r) => r.idx)).toEqual(want.slice(3, 43).map((r) => r.idx));
    const facets = index.facets('big', { ...f, low: undefined });
    const lowOnes = (index.db
      .prepare(
        `SELECT COUNT(*) FROM rows WHERE run = 'big' AND ${sql.replace(/low = 0( AND )?/, '') || '1'} AND low = 1`,
      )
      .pluck()
      .get() ?? 0) as number;
    expect(facets.facets.low.find((v) => v.value === '1')?.rows ?? 0).toBe(lowOnes);
  });

  it('pages without gaps or repeats', () => {
    const a = index.page('big', { source: 'pool' }, { offset: 0, limit: 50 });
    const b = index.page('big', { source: 'pool' }, { offset: 50, limit: 50 });
    const all = index.page('big', { source: 'pool' }, { offset: 0, limit: 100 });
    expect([...a.rows, ...b.rows].map((r) => r.idx)).toEqual(all.rows.map((r) => r.idx));
  });
});
