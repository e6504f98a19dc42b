import { describe, expect, it } from 'vitest';
import { readTexts } from './read-texts.js';
import { dataError, tempFiles } from './read.fixture.js';

const { file, pathIn } = tempFiles('apprentice-read-texts-');

describe('readTexts', () => {
  it('reads JSONL with text, input or sentence fields, skipping blank lines', () => {
    const r = readTexts(file('pool.jsonl', '{"text":"a"}\n\n{"input":"b"}\n   \n{"sentence":"c","label":"x"}\n'));
    expect(r.rows).toEqual(['a', 'b', 'c']);
    expect(r.skippedBlank).toBe(2);
    expect(r.format).toBe('jsonl');
  });

  it('strips a BOM and accepts CRLF', () => {
    const r = readTexts(
      file(
        'pool.jsonl',
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"text":"héllo"}\r\n{"text":"b"}\r\n')]),
      ),
    );
    expect(r.rows).toEqual(['héllo', 'b']);
    const lines = readTexts(file('pool.txt', '\ufeffone\r\ntwo\r\n'));
    expect(lines.rows).toEqual(['one', 'two']);
  });

  it('reports the line of the first invalid UTF-8 byte', () => {
    const bytes = Buffer.concat([
      Buffer.from('{"text":"ok"}\n{"text":"ok2"}\n{"text":"caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}\n'),
    ]);
    const e = dataError(() => readTexts(file('latin1.jsonl', bytes)));
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/UTF-8/);
    expect(e.hint).toMatch(/iconv/);
  });

  it('rejects empty and whitespace-only files', () => {
    expect(dataError(() => readTexts(file('empty.jsonl', ''))).message).toMatch(/empty/);
    expect(dataError(() => readTexts(file('bom-only.txt', Buffer.from([0xef, 0xbb, 0xbf])))).message).toMatch(/empty/);
    expect(dataError(() => readTexts(file('blank.txt', '\n  \n'))).message).toMatch(/empty/);
  });

  it('names the path of a missing file', () => {
    const path = pathIn('nope.jsonl');
    const e = dataError(() => readTexts(path));
    expect(e.file).toBe(path);
    expect(e.message).toContain(path);
  });

  it('gives the 1-based line of bad JSON, a missing text and an empty text', () => {
    const bad = dataError(() => readTexts(file('bad.jsonl', '{"text":"a"}\n\n{"text": "b",}\n')));
    expect(bad.line).toBe(3);
    expect(bad.hint).toMatch(/JSON object/);
    const missing = dataError(() => readTexts(file('missing.jsonl', '{"text":"a"}\n{"body":"b"}\n')));
    expect(missing.line).toBe(2);
    expect(missing.message).toMatch(/`body`/);
    const empty = dataError(() => readTexts(file('emptytext.jsonl', '{"text":"a"}\n{"text":"  "}\n')));
    expect(empty.line).toBe(2);
    expect(empty.hint).toMatch(/remove the line/);
    expect(dataError(() => readTexts(file('array.json', '[{"text":"a"}]'))).hint).toMatch(/JSON Lines/);
  });

  it('rejects a 10 MB single line, naming the line and the limit', () => {
    const huge = `{"text":"ok"}\n{"text":"${'x'.repeat(10_000_000)}"}\n`;
    const e = dataError(() => readTexts(file('huge.jsonl', huge)));
    expect(e.line).toBe(2);
    expect(e.message).toContain('100,000');
    const small = dataError(() => readTexts(file('limit.txt', 'short\nlonger text\n'), { maxTextChars: 6 }));
    expect(small.line).toBe(2);
  });

  it('de-duplicates exact (whitespace-normalized) texts and counts them', () => {
    const r = readTexts(file('dups.txt', 'a b\nc\na  b\nc\nd\n'));
    expect(r.rows).toEqual(['a b', 'c', 'd']);
    expect(r.duplicates).toBe(2);
  });

  it('reads CSV with quoting, escaped quotes and embedded newlines', () => {
    const csv = 'id,Text\r\n1,plain\r\n2,"with, comma"\r\n3,"say ""hi"""\r\n4,"two\nlines"\r\n\r\n5,last';
    const r = readTexts(file('pool.csv', csv));
    expect(r.rows).toEqual(['plain', 'with, comma', 'say "hi"', 'two\nlines', 'last']);
    expect(r.skippedBlank).toBe(1);
  });

  it('reports CSV errors by the line the record starts on', () => {
    const fields = dataError(() => readTexts(file('fields.csv', 'id,text\n1,"a\nb"\n2,x,y\n')));
    expect(fields.line).toBe(4);
    expect(fields.hint).toMatch(/double quotes/);
    const open = dataError(() => readTexts(file('open.csv', 'text\nfine\n"never closed\nmore\n')));
    expect(open.line).toBe(3);
    const noColumn = dataError(() => readTexts(file('nocol.csv', 'body\nhello\n')));
    expect(noColumn.hint).toMatch(/`text` column/);
  });

  it('reads 100k rows whole and in order, counting every duplicate and blank, and still names the line of a bad row', () => {
    // Every 10th row repeats the one before it (modulo whitespace); every 1000th line is blank.
    const lines: string[] = [];
    const expected: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      if (i % 1000 === 999) lines.push('   ');
      else if (i % 10 === 9) lines.push(JSON.stringify({ text: ` row  number ${i - 1} ` }));
      else {
        lines.push(JSON.stringify({ text: `row number ${i}`, label: 'ignored' }));
        expected.push(`row number ${i}`);
      }
    }
    const r = readTexts(file('big.jsonl', lines.join('\n')));
    expect(r.rows).toEqual(expected);
    expect(r.skippedBlank).toBe(100);
    expect(r.duplicates).toBe(100_000 - expected.length - 100);
    // Line numbers stay exact at this size: the broken row is the file's 100,001st line.
    const broken = dataError(() => readTexts(file('big-broken.jsonl', `${lines.join('\n')}\n{"text": "cut off`)));
    expect(broken.line).toBe(100_001);
    expect(broken.message).toMatch(/line 100001/);
  });
});
