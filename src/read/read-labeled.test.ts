import { describe, expect, it } from 'vitest';
import { readLabeled } from './read-labeled.js';
import { dataError, tempFiles } from './read.fixture.js';

const { file, pathIn } = tempFiles('apprentice-read-labeled-');

describe('readLabeled', () => {
  it('reads label and labels rows, BOM and CRLF included', () => {
    const r = readLabeled(
      file(
        'l.jsonl',
        '\ufeff{"text":"a","label":"x"}\r\n\r\n{"text":"b","labels":["x","y","x"]}\r\n{"text":"c","label":3}\r\n',
      ),
    );
    expect(r.rows).toEqual([
      { text: 'a', labels: ['x'] },
      { text: 'b', labels: ['x', 'y'] },
      { text: 'c', labels: ['3'] },
    ]);
    expect(r.skippedBlank).toBe(1);
    expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads CSV with text,label columns and quoted cells', () => {
    const r = readLabeled(
      file('l.csv', 'text,label\n"Hi, I was charged twice",billing\n"where is\nmy parcel",shipping\n'),
    );
    expect(r.rows).toEqual([
      { text: 'Hi, I was charged twice', labels: ['billing'] },
      { text: 'where is\nmy parcel', labels: ['shipping'] },
    ]);
    const multi = readLabeled(file('m.csv', 'text,labels\nboth,a|b\nnone,\n'), { multiLabel: true });
    expect(multi.rows.map((row) => row.labels)).toEqual([['a', 'b'], []]);
  });

  it('names line, label and the known labels for a label outside the task', () => {
    const e = dataError(() =>
      readLabeled(file('u.jsonl', '{"text":"a","label":"x"}\n{"text":"b","label":"zz"}\n'), {
        allowedLabels: ['x', 'y'],
      }),
    );
    expect(e.line).toBe(2);
    expect(e.message).toContain('"zz"');
    expect(e.message).toContain('x, y');
  });

  it('requires exactly one label per row in a single-label task', () => {
    const e = dataError(() => readLabeled(file('s.jsonl', '{"text":"a","labels":["x","y"]}\n'), { multiLabel: false }));
    expect(e.line).toBe(1);
    expect(e.hint).toMatch(/multiLabel/);
  });

  it('rejects rows without a label, with the line', () => {
    const e = dataError(() => readLabeled(file('n.jsonl', '{"text":"a","label":"x"}\n{"text":"b"}\n')));
    expect(e.line).toBe(2);
    expect(e.message).toMatch(/no label/);
  });

  it('keeps the first of duplicate texts and counts conflicting labels', () => {
    const r = readLabeled(
      file(
        'd.jsonl',
        ['a', 'b', 'a', 'a '].map((t, i) => JSON.stringify({ text: t, label: i === 2 ? 'y' : 'x' })).join('\n'),
      ),
    );
    expect(r.rows).toEqual([
      { text: 'a', labels: ['x'] },
      { text: 'b', labels: ['x'] },
    ]);
    expect(r.duplicates).toBe(2);
    expect(r.conflicts).toBe(1);
  });

  it('reports invalid UTF-8, empty and missing files, and refuses plain text', () => {
    const bad = dataError(() =>
      readLabeled(
        file(
          'bad.jsonl',
          Buffer.concat([
            Buffer.from('{"text":"a","label":"x"}\n{"text":"'),
            Buffer.from([0xff, 0xfe]),
            Buffer.from('","label":"x"}\n'),
          ]),
        ),
      ),
    );
    expect(bad.line).toBe(2);
    expect(dataError(() => readLabeled(file('e.jsonl', ''))).message).toMatch(/empty/);
    expect(dataError(() => readLabeled(pathIn('missing.csv'))).message).toContain('missing.csv');
    expect(dataError(() => readLabeled(file('t.txt', 'hello\n'))).hint).toMatch(/jsonl/);
  });

  it('rejects a 10 MB text with the line and the limit', () => {
    const e = dataError(() => readLabeled(file('h.jsonl', `{"text":"${'y'.repeat(10_000_000)}","label":"x"}`)));
    expect(e.line).toBe(1);
    expect(e.message).toMatch(/limit is 100,000/);
  });
});
