import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../cli/cli-harness.js';

/**
 * An extraction run directory in the shape src/run/extract writes (task.json with kind: extract,
 * summary.json, training.jsonl rows with spans, tokens, source, round, teacher, uncertainty):
 * built here so the export is tested without running a loop.
 */
const tmp = tempDir('apprentice-hf-extract-');
afterAll(() => tmp.cleanup());

const texts = [
  'yesterday Alan Turing bought a Walkman in São Paulo',
  'Back from Berlin , tired but happy',
  'nothing happened at all today , just rain',
  'Grace 😀 flew to Kyoto last week',
];

function span(text: string, surface: string, type: string) {
  const start = text.indexOf(surface);
  return { start, end: start + surface.length, type, text: surface, status: 'exact' };
}

function writeRun(dir: string, rows: object[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'task.json'),
    JSON.stringify({
      kind: 'extract',
      name: 'people-places',
      instruction: 'Mark the people, cities and products.',
      multiLabel: false,
      labels: [{ name: 'city', description: 'a city' }, { name: 'person' }, { name: 'product' }],
    }),
  );
  writeFileSync(
    path.join(dir, 'summary.json'),
    JSON.stringify({
      kind: 'extract',
      runId: 'people-places-1',
      stopReason: 'pool-exhausted',
      teacher: { id: 'dataset:train.conll', kind: 'dataset', answers: 40, dollars: 0 },
      f1: 0.88,
      final: { split: 'gold', n: 150 },
    }),
  );
  writeFileSync(path.join(dir, 'training.jsonl'), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
}

const rows = Array.from({ length: 40 }, (_, i) => {
  const text = `${texts[i % texts.length]} #${i}`;
  const spans =
    i % 4 === 0
      ? [span(text, 'Alan Turing', 'person'), span(text, 'Walkman', 'product'), span(text, 'São Paulo', 'city')]
      : i % 4 === 1
        ? [span(text, 'Berlin', 'city')]
        : i % 4 === 3
          ? [span(text, 'Grace', 'person'), span(text, 'Kyoto', 'city')]
          : [];
  return {
    text,
    spans,
    ...(i % 2 ? { tokens: [{ start: 0, end: 4 }] } : {}),
    source: i < 10 ? 'seed' : i === 39 ? 'human' : 'uncertainty',
    round: i < 10 ? 0 : 1,
    teacher: i < 10 ? 'seed' : i === 39 ? 'human' : 'dataset:train.conll',
    ...(i >= 10 && i !== 39 ? { uncertainty: 0.5 } : {}),
    ...(i === 39 ? { reviewer: 'ana' } : {}),
  };
});

describe('apprentice export hf-dataset on an extraction run', () => {
  it('writes entities with offsets, provenance and a token-classification card; splits the same way twice', async () => {
    writeRun(path.join(tmp.dir, 'run'), rows);
    const r = await runCli(['export', 'hf-dataset', 'run', '--out', 'hf', '--json'], { cwd: tmp.dir });
    expect(r.code, r.stderr).toBe(0);
    const read = (f: string) =>
      readFileSync(path.join(tmp.dir, 'hf', f), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
    const train = read('train.jsonl');
    const validation = read('validation.jsonl');
    expect(train.length + validation.length).toBe(40);
    expect(validation.length).toBe(4);
    for (const row of [...train, ...validation]) {
      // Code-point offsets, as Python's str indexes them (the emoji before "Kyoto" is 2 UTF-16 units).
      for (const e of row.entities) expect(Array.from(row.text).slice(e.start, e.end).join('')).toBe(e.text);
      expect(Object.keys(row)).toEqual([
        'id',
        'text',
        'entities',
        'tokens',
        'source',
        'round',
        'teacher',
        'uncertainty',
        'reviewer',
      ]);
    }
    const kyoto = [...train, ...validation].find((x) => x.text.endsWith('#3'));
    expect(kyoto.entities[1]).toEqual({ start: 16, end: 21, type: 'city', text: 'Kyoto' });
    const first = [...train, ...validation].find((x) => x.text.endsWith('#0'));
    expect(first.entities.map((e: { type: string }) => e.type)).toEqual(['person', 'product', 'city']);
    expect(first).toMatchObject({ source: 'seed', round: 0, tokens: null, uncertainty: null, reviewer: null });
    const reviewed = [...train, ...validation].find((x) => x.text.endsWith('#39'));
    expect(reviewed).toMatchObject({ source: 'human', teacher: 'human', reviewer: 'ana', uncertainty: null });
    const card = readFileSync(path.join(tmp.dir, 'hf', 'README.md'), 'utf8');
    expect(card).toMatch(/task_categories:\n- token-classification/);
    expect(card).toMatch(/\| person \| \d+ \| \d+ \|/);
    expect(card).toMatch(/entity F1 0\.880/);
    const again = await runCli(['export', 'hf-dataset', 'run', '--out', 'hf2'], { cwd: tmp.dir });
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(path.join(tmp.dir, 'hf2', 'validation.jsonl'), 'utf8')).toBe(
      readFileSync(path.join(tmp.dir, 'hf', 'validation.jsonl'), 'utf8'),
    );
  });

  it('openai-finetune and fasttext refuse an extraction run, pointing at the exports that take one', async () => {
    for (const kind of ['openai-finetune', 'fasttext']) {
      const r = await runCli(['export', kind, 'run', '--out', `x-${kind}`], { cwd: tmp.dir });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/extraction run.*classification runs/);
    }
  });

  it('a span whose offsets do not hold its text is an error naming the file and line', async () => {
    // Row 7 (index 6) says "Grace" sits at 1–6, where the text has "othin".
    const bad = rows.map((r, i) =>
      i === 6 ? { ...r, spans: [{ start: 1, end: 6, type: 'person', text: 'Grace' }] } : r,
    );
    writeRun(path.join(tmp.dir, 'bad'), bad);
    const r = await runCli(['export', 'hf-dataset', 'bad', '--out', 'hf-bad'], { cwd: tmp.dir });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/training\.jsonl/);
    expect(r.stderr).toMatch(/training\.jsonl:7/);
    expect(r.stderr).toMatch(/do not hold "Grace"/);
  });
});
