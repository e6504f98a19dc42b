import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sharedDataset } from '../../test/fixtures/shared-datasets.js';
import { spanRows } from '../student/sequence/synthetic-spans.js';
import type { SpanTrainingRow } from '../student/sequence/types.js';
import { tokenizeWithOffsets } from '../text/spans/tokenize.js';
import { runCli, tempDir } from './cli-harness.js';

/** The synthetic extraction task as CoNLL columns: one token and its IOB2 tag a line, blank line between sentences. */
function conll(rows: readonly SpanTrainingRow[]): string {
  return rows
    .map((r) =>
      tokenizeWithOffsets(r.text)
        .map((t) => {
          const s = r.spans.find((sp) => t.start >= sp.start && t.end <= sp.end);
          const tag = s ? `${t.start === s.start ? 'B' : 'I'}-${s.type}` : 'O';
          return `${r.text.slice(t.start, t.end)}\t${tag}`;
        })
        .join('\n'),
    )
    .join('\n\n')
    .concat('\n');
}

const jsonl = (xs: unknown[]) => `${xs.map((x) => JSON.stringify(x)).join('\n')}\n`;
const tmp = tempDir();
const gold = spanRows(60, 12, true);

beforeAll(() => {
  // 150 rows: enough that training holds out a validation share for early stopping.
  writeFileSync(path.join(tmp.dir, 'train.conll'), conll(spanRows(150, 11)));
  writeFileSync(path.join(tmp.dir, 'gold.conll'), conll(gold));
  writeFileSync(
    path.join(tmp.dir, 'train.jsonl'),
    jsonl(
      spanRows(80, 13).map((r) => ({ text: r.text, entities: r.spans.map((s) => ({ type: s.type, text: s.text })) })),
    ),
  );
  writeFileSync(path.join(tmp.dir, 'texts.txt'), `${gold.map((g) => g.text).join('\n')}\n`);
  writeFileSync(
    path.join(tmp.dir, 'labels.jsonl'),
    jsonl([
      { text: 'a', label: 'x' },
      { text: 'b', label: 'y' },
    ]),
  );
});
afterAll(() => tmp.cleanup());

describe('extraction: train → eval → predict', () => {
  it('train detects CoNLL, trains a sequence-perceptron and writes an extraction card', async () => {
    const r = await runCli(['train', 'train.conll', '--out', 'model', '--seed', '3', '--json'], { cwd: tmp.dir });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ task: 'extract', kind: 'sequence-perceptron', shape: 'conll', rows: 150 });
    expect(out.types).toEqual(['city', 'person', 'product']);
    const card = JSON.parse(readFileSync(path.join(tmp.dir, 'model', 'card.json'), 'utf8'));
    expect(card).toMatchObject({ kind: 'extract', types: [{ name: 'city' }, { name: 'person' }, { name: 'product' }] });
    expect(card.student.kind).toBe('sequence-perceptron');
  });

  it('eval --json gives entity-level precision, recall, F1, perType and partialF1', async () => {
    const r = await runCli(['eval', 'model', 'gold.conll', '--json'], { cwd: tmp.dir });
    expect(r.code, r.stderr).toBe(0);
    const m = JSON.parse(r.stdout);
    expect(m.n).toBe(60);
    expect(m.f1).toBeGreaterThan(0.8);
    expect(m.f1).toBeCloseTo((2 * m.precision * m.recall) / (m.precision + m.recall), 10);
    expect(m.partialF1).toBeGreaterThanOrEqual(m.f1);
    expect(Object.keys(m.perType)).toEqual(['city', 'person', 'product']);
    expect(m.perType.person.gold).toBe(gold.flatMap((g) => g.spans).filter((s) => s.type === 'person').length);
  });

  it('eval prints a per-type table', async () => {
    const r = await runCli(['eval', 'model', 'gold.conll'], { cwd: tmp.dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/entity F1 {2}0\.\d{3}/);
    expect(r.stdout).toMatch(/partial F1/);
    expect(r.stdout).toMatch(/^person\s+\d\.\d{3}/m);
  });

  it('predict outputs spans with offsets into the text, type and score', async () => {
    const r = await runCli(['predict', 'model', '--input', 'texts.txt'], { cwd: tmp.dir });
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // predict reads distinct texts (repeats in the input are answered once).
    expect(rows).toHaveLength(new Set(gold.map((g) => g.text)).size);
    const spans = rows.flatMap((row) => row.spans.map((s: Record<string, unknown>) => ({ ...s, of: row.text })));
    expect(spans.length).toBeGreaterThan(50);
    for (const s of spans) {
      expect(s.of.slice(s.start, s.end)).toBe(s.text);
      expect(['city', 'person', 'product']).toContain(s.type);
      expect(s.score).toBeGreaterThan(0);
      expect(s.score).toBeLessThanOrEqual(1);
    }
    // Most texts' spans are found exactly where the gold puts them.
    const exact = rows.filter((row) => {
      const g = gold.find((x) => x.text === row.text)!;
      const key = (s: { start: number; end: number; type: string }) => `${s.start}:${s.end}:${s.type}`;
      return row.spans.map(key).join() === g.spans.map(key).join();
    });
    expect(exact.length).toBeGreaterThan(0.7 * rows.length);
  });

  it('train detects entities JSONL too, and scores it on the CoNLL gold', async () => {
    const r = await runCli(['train', 'train.jsonl', '--out', 'm2', '--eval', 'gold.conll', '--json'], { cwd: tmp.dir });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.shape).toBe('entities-jsonl');
    expect(out.eval.f1).toBeGreaterThan(0.6);
  });

  it('a bad tag is an error naming the file and line, exit non-zero', async () => {
    // One slip in an otherwise well-formed file (a file of mostly untagged lines is read as plain texts).
    const good = conll(spanRows(10, 5)).trimEnd().split('\n');
    writeFileSync(
      path.join(tmp.dir, 'bad.conll'),
      `${[...good.slice(0, 20), 'Lima\tX-city', ...good.slice(20)].join('\n')}\n`,
    );
    const r = await runCli(['train', 'bad.conll', '--out', 'm3'], { cwd: tmp.dir });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/bad\.conll/);
    expect(r.stderr).toMatch(/line 21: tag "X-city"/);
  });

  it('eval refuses a gold type the model never learned, naming the line', async () => {
    writeFileSync(path.join(tmp.dir, 'other.conll'), 'Ada\tB-person\n\nACME\tB-company\n');
    const r = await runCli(['eval', 'model', 'other.conll'], { cwd: tmp.dir });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/line 3.*"company"/);
  });

  it('--params are checked by the student kind', async () => {
    const r = await runCli(['train', 'train.conll', '--out', 'm4', '--params', '{"outsideBias": -1}'], {
      cwd: tmp.dir,
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/student\.params\.outsideBias/);
  });

  it('a classification model given an extraction file says so', async () => {
    const t = await runCli(['train', 'labels.jsonl', '--out', 'clf'], { cwd: tmp.dir });
    expect(t.code, t.stderr).toBe(0);
    const r = await runCli(['eval', 'clf', 'gold.conll'], { cwd: tmp.dir });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/extraction file.*classifier/);
  });
});

const wnut = sharedDataset('wnut17');
describe.skipIf(!wnut.has('train.txt', 'test.txt'))(
  `extraction on WNUT-17 (${wnut.has('train.txt', 'test.txt') ? 'train → test' : `skipped: ${wnut.needs('train.txt', 'test.txt')}`})`,
  () => {
    const dir = tempDir();
    afterAll(() => dir.cleanup());
    it('train on train.txt, eval on test.txt: entity F1 in the range the bench measured', async () => {
      const t = await runCli(['train', wnut.path('train.txt'), '--out', 'wnut', '--seed', '1', '--json'], {
        cwd: dir.dir,
      });
      expect(t.code, t.stderr).toBe(0);
      expect(JSON.parse(t.stdout).types).toEqual([
        'corporation',
        'creative-work',
        'group',
        'location',
        'person',
        'product',
      ]);
      const e = await runCli(['eval', 'wnut', wnut.path('test.txt'), '--json'], { cwd: dir.dir });
      expect(e.code, e.stderr).toBe(0);
      const m = JSON.parse(e.stdout);
      expect(m.n).toBe(1287);
      // docs/extraction.md: 0.228 train → test; the 2017 shared-task systems scored 0.26–0.42.
      expect(m.f1).toBeGreaterThan(0.18);
    }, 180_000);
  },
);
