import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedDataset } from '../../../test/fixtures/shared-datasets.js';
import { DataFileError } from '../../errors.js';
import { detectLabeledShape } from './detect.js';
import { readConll } from './read-conll.js';
import { attributeSpans, readAttributeJsonl, readEntityJsonl } from './read-jsonl.js';

const dir = mkdtempSync(join(tmpdir(), 'apprentice-extract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(content: string, ext: string): string {
  const path = join(dir, `f${n++}.${ext}`);
  writeFileSync(path, content);
  return path;
}

function errorOf(fn: () => unknown): DataFileError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DataFileError) return e;
    throw e;
  }
  throw new Error('expected a DataFileError');
}

describe('readConll', () => {
  it('joins tokens with single spaces and turns IOB2 tags into character spans', () => {
    const path = file(
      'Empire\tB-location\nState\tI-location\n=\tO\nESB\tB-location\n\t\nAda\tB-person\nsaid\tO\n',
      'txt',
    );
    const r = readConll(path);
    expect(r.examples).toHaveLength(2);
    const [a, b] = r.examples;
    expect(a.text).toBe('Empire State = ESB');
    expect(a.tokens).toEqual([
      { start: 0, end: 6 },
      { start: 7, end: 12 },
      { start: 13, end: 14 },
      { start: 15, end: 18 },
    ]);
    expect(a.spans).toEqual([
      { start: 0, end: 12, type: 'location', text: 'Empire State' },
      { start: 15, end: 18, type: 'location', text: 'ESB' },
    ]);
    expect(b).toMatchObject({ text: 'Ada said', line: 6, spans: [{ start: 0, end: 3, type: 'person', text: 'Ada' }] });
    expect(r.types).toEqual(['location', 'person']);
    expect(r.tokens).toBe(6);
  });

  it('reads space-separated multi-column CoNLL, skips -DOCSTART-, and repairs a stray I- tag into a span', () => {
    const path = file('-DOCSTART- -X- O O\n\nEU NNP B-NP I-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP I-MISC\n', 'conll');
    const r = readConll(path);
    expect(r.examples[0].spans.map((s) => [s.text, s.type])).toEqual([
      ['EU', 'ORG'],
      ['German', 'MISC'],
    ]);
    expect(r.repairedTags).toBe(2);
  });

  it('names the file and line of a bad tag or a missing column, with a hint', () => {
    const bad = file('Ada\tB-person\nsaid\tX-verb\n', 'txt');
    const e = errorOf(() => readConll(bad));
    expect(e.file).toBe(bad);
    expect(e.line).toBe(2);
    expect(e.message).toMatch(/X-verb/);
    expect(e.hint).toMatch(/IOB2/);
    const one = errorOf(() => readConll(file('Ada\tB-person\nsaid\n', 'txt')));
    expect(one.line).toBe(2);
    const unknown = errorOf(() => readConll(file('Ada\tB-person\n', 'txt'), { allowedTypes: ['location'] }));
    expect(unknown.message).toMatch(/"person" is not one of the task's types/);
    expect(() => readConll(file('\n\n\t\n', 'txt'))).toThrow(DataFileError);
  });

  const wnutSet = sharedDataset('wnut17');
  const wnut = wnutSet.has('train.txt') ? wnutSet.path('train.txt') : undefined;
  it.skipIf(!wnut)(
    `reads WNUT-17 train as published: 3394 posts, 62730 tokens, 1975 entities${wnut ? '' : ` (SKIPPED: ${wnutSet.needs('train.txt')})`}`,
    () => {
      const r = readConll(wnut!);
      expect(r.examples).toHaveLength(3394);
      expect(r.tokens).toBe(62730);
      expect(r.examples.reduce((s, e) => s + e.spans.length, 0)).toBe(1975);
      expect(r.types).toEqual(['corporation', 'creative-work', 'group', 'location', 'person', 'product']);
      for (const ex of r.examples) for (const s of ex.spans) expect(ex.text.slice(s.start, s.end)).toBe(s.text);
      expect(detectLabeledShape(wnut!).shape).toBe('conll');
    },
  );
});

describe('readEntityJsonl', () => {
  it('places surface strings (k-th mention on k-th occurrence) and accepts explicit offsets', () => {
    const path = file(
      [
        JSON.stringify({
          text: 'Ada met Ada in PARIS',
          entities: [
            { type: 'person', text: 'Ada' },
            { type: 'person', text: 'Ada' },
            { type: 'location', text: 'Paris' },
          ],
        }),
        '',
        JSON.stringify({ text: 'Café Nero', entities: [{ type: 'org', text: 'Café Nero', start: 0, end: 9 }] }),
      ].join('\n'),
      'jsonl',
    );
    const r = readEntityJsonl(path);
    expect(r.examples[0].spans.map((s) => [s.start, s.text, s.type])).toEqual([
      [0, 'Ada', 'person'],
      [8, 'Ada', 'person'],
      [15, 'PARIS', 'location'],
    ]);
    expect(r.inexact).toBe(1);
    expect(r.examples[1]).toMatchObject({ line: 3, spans: [{ start: 0, end: 9, text: 'Café Nero' }] });
    expect(r.types).toEqual(['location', 'org', 'person']);
  });

  it('refuses entities that are not in the text, bad offsets and bad rows, naming the line', () => {
    const cases: [string, RegExp][] = [
      [
        JSON.stringify({ text: 'Ada', entities: [{ type: 'person', text: 'Bob' }] }),
        /"Bob" \(person\) cannot be placed/,
      ],
      [JSON.stringify({ text: 'Ada', entities: [{ type: 'person', start: 0, end: 9 }] }), /bad offsets/],
      [JSON.stringify({ text: 'Ada', entities: [{ type: 'person', text: 'Ad', start: 0, end: 3 }] }), /differs/],
      [JSON.stringify({ text: 'Ada', entities: 'Ada' }), /no "entities" list/],
      [JSON.stringify({ text: 'Ada', entities: [{ text: 'Ada' }] }), /no "type"/],
      ['{"text": "Ada", ', /not valid JSON/],
    ];
    for (const [row, message] of cases) {
      const e = errorOf(() =>
        readEntityJsonl(file(`${JSON.stringify({ text: 'ok', entities: [] })}\n${row}\n`, 'jsonl')),
      );
      expect(e.line).toBe(2);
      expect(e.message).toMatch(message);
      expect(e.hint).toBeTruthy();
    }
  });
});

describe('readAttributeJsonl', () => {
  it('reads attribute values, treats [] and n/a as absent, and places values as spans', () => {
    const path = file(
      `${JSON.stringify({ text: "Crocs Women's Jayna Ballet Flat,Nautical Navy,4 M US", category: 'Shoes', attributes: { Brand: ['Crocs'], Color: ['Nautical Navy'], Size: ['4 M US'], Material: [], Fit: ['n/a'], Heel: ['stiletto'] } })}\n`,
      'jsonl',
    );
    const r = readAttributeJsonl(path);
    expect(r.attributes).toEqual(['Brand', 'Color', 'Fit', 'Heel', 'Material', 'Size']);
    expect(r.rows[0].attributes).toMatchObject({ Brand: ['Crocs'], Material: [], Fit: [] });
    const { example, unplaced } = attributeSpans(r.rows[0]);
    expect(example.spans.map((s) => [s.type, s.text])).toEqual([
      ['Brand', 'Crocs'],
      ['Color', 'Nautical Navy'],
      ['Size', '4 M US'],
    ]);
    expect(unplaced).toEqual([expect.objectContaining({ type: 'Heel', text: 'stiletto', status: 'unaligned' })]);
    expect(detectLabeledShape(path).shape).toBe('attributes-jsonl');
  });

  it('refuses non-string values with the line', () => {
    const e = errorOf(() =>
      readAttributeJsonl(file(`${JSON.stringify({ text: 'x', attributes: { Size: [4] } })}\n`, 'jsonl')),
    );
    expect(e.line).toBe(1);
    expect(e.message).toMatch(/"Size" must be a list of strings/);
  });

  const oaSet = sharedDataset('product_ave');
  const oa = oaSet.has('oa_mine/test.jsonl') ? oaSet.path('oa_mine/test.jsonl') : undefined;
  it.skipIf(!oa)(
    `reads product_ave OA-Mine test: 491 products, every value placed${oa ? '' : ` (SKIPPED: ${oaSet.needs('oa_mine/test.jsonl')})`}`,
    () => {
      const r = readAttributeJsonl(oa!);
      expect(r.rows).toHaveLength(491);
      let values = 0;
      let placed = 0;
      for (const row of r.rows) {
        values += Object.values(row.attributes).reduce((s, v) => s + v.length, 0);
        placed += attributeSpans(row).example.spans.length;
      }
      expect(values).toBe(2451);
      expect(placed).toBeGreaterThan(2400);
    },
  );
});

describe('detectLabeledShape', () => {
  it('tells extraction files from classification and plain texts', () => {
    expect(detectLabeledShape(file('Ada\tB-person\nsaid\tO\n\nhi\tO\n', 'txt')).shape).toBe('conll');
    expect(detectLabeledShape(file('{"text":"a","entities":[]}\n', 'jsonl')).shape).toBe('entities-jsonl');
    expect(detectLabeledShape(file('{"text":"a","label":"x"}\n', 'jsonl')).shape).toBe('labels-jsonl');
    expect(detectLabeledShape(file('text,label\nhi,x\n', 'csv')).shape).toBe('labels-csv');
    expect(detectLabeledShape(file('hello there\nhow are you\n', 'txt')).shape).toBe('texts');
    expect(detectLabeledShape(file('{"text":"a"}\n', 'jsonl')).shape).toBe('texts');
  });
});
