import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli, tempDir } from './cli-harness.js';

const TOPICS: Record<string, string[]> = {
  weather: ['rain', 'sunny', 'forecast', 'storm', 'cloudy', 'temperature', 'wind', 'snow', 'humid', 'thunder'],
  cooking: ['recipe', 'oven', 'garlic', 'bake', 'flour', 'simmer', 'onion', 'butter', 'roast', 'spices'],
  football: ['goal', 'striker', 'referee', 'penalty', 'league', 'match', 'keeper', 'offside', 'coach', 'stadium'],
  finance: ['stocks', 'interest', 'mortgage', 'dividend', 'inflation', 'savings', 'bonds', 'loan', 'budget', 'pension'],
};
const FILLER = ['the', 'today', 'my', 'really', 'about', 'this', 'week', 'we', 'talked', 'again', 'so', 'much'];

/** Small seeded generator: the test data is the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function rows(n: number, seed: number): { text: string; label: string }[] {
  const r = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const out: { text: string; label: string }[] = [];
  for (const [label, words] of Object.entries(TOPICS)) {
    for (let i = 0; i < n; i++) {
      const parts = [pick(FILLER), pick(words), pick(FILLER), pick(words), pick(FILLER), pick(words), `#${i}`];
      out.push({ text: parts.join(' '), label });
    }
  }
  return out;
}

const tmp = tempDir();
const jsonl = (xs: unknown[]) => `${xs.map((x) => JSON.stringify(x)).join('\n')}\n`;

beforeAll(() => {
  writeFileSync(path.join(tmp.dir, 'train.jsonl'), jsonl(rows(30, 1)));
  const gold = rows(10, 2).map((r) => ({ ...r, text: `${r.text} held-out` }));
  writeFileSync(path.join(tmp.dir, 'gold.jsonl'), jsonl(gold));
  writeFileSync(path.join(tmp.dir, 'texts.txt'), `${gold.map((g) => g.text).join('\n')}\n`);
});
afterAll(() => tmp.cleanup());

describe('train → predict → eval', () => {
  it('train writes student.bin and card.json and reports gold metrics', async () => {
    const r = await runCli(
      ['train', 'train.jsonl', '--out', 'model', '--seed', '7', '--eval', 'gold.jsonl', '--json'],
      { cwd: tmp.dir },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(tmp.dir, 'model', 'student.bin'))).toBe(true);
    const card = JSON.parse(readFileSync(path.join(tmp.dir, 'model', 'card.json'), 'utf8'));
    expect(card.labels).toEqual(['cooking', 'finance', 'football', 'weather']);
    expect(card.student.kind).toBe('hashed-linear');
    const out = JSON.parse(r.stdout);
    expect(out.rows).toBe(120);
    expect(out.eval.accuracy).toBeGreaterThan(0.85);
  });

  it('predict writes one JSONL row per input with top probabilities and a margin', async () => {
    const r = await runCli(['predict', 'model', '--input', 'texts.txt', '--out', 'preds.jsonl'], { cwd: tmp.dir });
    expect(r.code, r.stderr).toBe(0);
    const preds = readFileSync(path.join(tmp.dir, 'preds.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(preds).toHaveLength(40);
    for (const p of preds) {
      expect(typeof p.text).toBe('string');
      expect(p.labels).toHaveLength(1);
      expect(Object.keys(p.probs).length).toBeLessThanOrEqual(5);
      expect(Object.keys(p.probs)[0]).toBe(p.labels[0]);
      expect(p.margin).toBeGreaterThanOrEqual(0);
    }
  });

  it('predict without --out streams JSONL on stdout, and accepts the .bin itself', async () => {
    const r = await runCli(['predict', 'model/student.bin', '--input', 'texts.txt'], { cwd: tmp.dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(40);
  });

  it('eval --json gives accuracy, macro-F1, n and a per-label table', async () => {
    const r = await runCli(['eval', 'model', 'gold.jsonl', '--json'], { cwd: tmp.dir });
    expect(r.code, r.stderr).toBe(0);
    const m = JSON.parse(r.stdout);
    expect(m.n).toBe(40);
    expect(m.accuracy).toBeGreaterThan(0.85);
    expect(m.macroF1).toBeGreaterThan(0.85);
    expect(m.perLabel).toHaveLength(4);
    expect(m.microF1).toBeUndefined();
  });

  it('eval prints a human table without --json', async () => {
    const r = await runCli(['eval', 'model', 'gold.jsonl'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/accuracy\s+\d\.\d{3}/);
    expect(r.stdout).toContain('football');
  });

  it('a gold label the model never learned is a data file error naming the line', async () => {
    writeFileSync(
      path.join(tmp.dir, 'odd.jsonl'),
      jsonl([
        { text: 'goal goal', label: 'football' },
        { text: 'a poem', label: 'poetry' },
      ]),
    );
    const r = await runCli(['eval', 'model', 'odd.jsonl'], { cwd: tmp.dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('odd.jsonl:2');
  });
});
