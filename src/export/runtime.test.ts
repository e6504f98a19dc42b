import { describe, expect, it } from 'vitest';
// The runtime (src/runtime) is a leaf that imports nothing from src/; its tests compare it with the
// library, so they live here, beside the bundler that ships it.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { deflateRawSync, constants } from 'node:zlib';
import { inflateRaw } from '../runtime/inflate.js';
import { loadStudent as loadLibraryStudent, trainStudent } from '../student/registry.js';
import { multiTopicRows, TOPIC_LABELS, topicRows } from '../student/synthetic-topics.js';
import { bundleRuntimeSources } from './runtime-bundle.js';
import { loadStudent, RuntimeModelError } from '../runtime/index.js';
import type { Student } from '../student/types.js';

const probes = [
  ...topicRows(12, 7).map((r) => r.text),
  '',
  '   ',
  '?!',
  'Ünïcödé cafés — naïve façade 😀',
  'x'.repeat(3000),
  "don't can't won't ‘quoted’ `tick`",
  'goal goal goal goal oven rain',
];

function expectSame(lib: Student, rt: Awaited<ReturnType<typeof loadStudent>>): void {
  for (const text of probes) {
    const a = lib.predict(text);
    const b = rt.predict(text);
    expect(b.labels, text).toEqual(a.labels);
    // Bit for bit: the same float32 probability per label.
    const byLabel = Object.fromEntries(b.scores.map((s) => [s.label, s.score]));
    expect(
      lib.labels.map((l) => byLabel[l]),
      text,
    ).toEqual(Array.from(a.probs));
    for (let i = 1; i < b.scores.length; i++) expect(b.scores[i - 1].score).toBeGreaterThanOrEqual(b.scores[i].score);
  }
}

describe('inflateRaw', () => {
  it('decodes what zlib deflates: stored, fixed and dynamic blocks, long runs and random bytes', () => {
    let seed = 1;
    const rand = () => ((seed = Math.imul(seed, 48271) % 0x7fffffff) & 0xff) / 256;
    const random = Uint8Array.from({ length: 70_000 }, () => Math.floor(rand() * 256));
    const text = new TextEncoder().encode('the quick brown fox '.repeat(5000));
    const skewed = Uint8Array.from({ length: 50_000 }, () => (rand() < 0.9 ? 0 : Math.floor(rand() * 8)));
    for (const input of [new Uint8Array(0), Uint8Array.of(7), random, text, skewed]) {
      for (const level of [0, 1, 9]) {
        for (const strategy of [constants.Z_DEFAULT_STRATEGY, constants.Z_FIXED, constants.Z_HUFFMAN_ONLY]) {
          const packed = deflateRawSync(input, { level, strategy });
          expect(inflateRaw(packed)).toEqual(input);
        }
      }
    }
  });

  it('refuses truncated and corrupt input instead of returning garbage', () => {
    const packed = deflateRawSync(new TextEncoder().encode('hello hello hello hello'.repeat(50)));
    expect(() => inflateRaw(packed.subarray(0, packed.length - 3))).toThrow(/corrupt/);
    expect(() => inflateRaw(Uint8Array.of(0xff, 0xff))).toThrow(/corrupt/);
  });
});

describe('runtime loadStudent', () => {
  it('predicts bit-for-bit what the library predicts (single-label, default int4 weights of a pruned model)', async () => {
    const lib = trainStudent('hashed-linear', topicRows(40, 3), { labels: TOPIC_LABELS, multiLabel: false, seed: 3 });
    const bytes = lib.toBytes();
    const rt = await loadStudent(bytes);
    expect(rt.labels).toEqual([...lib.labels]);
    expect(rt.multiLabel).toBe(false);
    expectSame(loadLibraryStudent(bytes), rt);
    // An ArrayBuffer (what fetch gives) works the same, including one that is a slice of a larger buffer.
    const padded = new Uint8Array(bytes.length + 16);
    padded.set(bytes, 8);
    expectSame(lib, await loadStudent(padded.subarray(8, 8 + bytes.length)));
    expectSame(lib, await loadStudent(bytes.slice().buffer));
  });

  it('matches on 580 real support messages with a model trained on them', async () => {
    const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'support-routing');
    const read = (f: string) =>
      readFileSync(join(dir, f), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { text: string; label: string });
    const rows = read('labeled.jsonl');
    const labels = [...new Set(rows.map((r) => r.label))];
    const lib = trainStudent(
      'hashed-linear',
      rows.map((r) => ({ text: r.text, labels: [r.label] })),
      { labels, multiLabel: false, seed: 42 },
    );
    const rt = await loadStudent(lib.toBytes());
    for (const { text } of [...rows, ...read('gold.jsonl')]) {
      const a = lib.predict(text);
      const b = rt.predict(text);
      expect(b.labels, text).toEqual(a.labels);
      const byLabel = new Map(b.scores.map((s) => [s.label, s.score]));
      expect(
        lib.labels.map((l) => byLabel.get(l)),
        text,
      ).toEqual(Array.from(a.probs));
    }
  });

  it('matches float32 weights and small hash spaces too', async () => {
    const lib = trainStudent(
      'hashed-linear',
      topicRows(30, 5),
      { labels: TOPIC_LABELS, multiLabel: false, seed: 5 },
      { quantize: 'none', hashBits: 12, wordNgrams: 3, charMax: 4 },
    );
    expectSame(lib, await loadStudent(lib.toBytes()));
  });

  it('matches multi-label decisions (thresholds, at-least-one)', async () => {
    for (const multiLabelDecision of ['probability', 'label-f1'] as const) {
      const lib = trainStudent(
        'hashed-linear',
        multiTopicRows(60, 11),
        { labels: TOPIC_LABELS, multiLabel: true, seed: 11 },
        { multiLabelDecision },
      );
      const rt = await loadStudent(lib.toBytes());
      expect(rt.multiLabel).toBe(true);
      expectSame(lib, rt);
    }
  });

  it('refuses damaged files with a RuntimeModelError naming what is wrong', async () => {
    const lib = trainStudent('hashed-linear', topicRows(10, 1), { labels: TOPIC_LABELS, multiLabel: false, seed: 1 });
    const bytes = lib.toBytes();
    await expect(loadStudent(new TextEncoder().encode('not a model at all'))).rejects.toThrow(/bad magic/);
    await expect(loadStudent(bytes.subarray(0, bytes.length - 10))).rejects.toThrow(RuntimeModelError);
    const flipped = bytes.slice();
    flipped[flipped.length - 20] ^= 0xff;
    await expect(loadStudent(flipped)).rejects.toThrow(/checksum/);
    await expect(loadStudent(42 as never)).rejects.toThrow(TypeError);
  });
});

describe('runtime bundle', () => {
  it('is one module with no imports and no Node APIs, within 12 KB minified+gzipped', async () => {
    const readable = await bundleRuntimeSources();
    const min = await bundleRuntimeSources({ minify: true });
    expect(readable).toMatch(/export\s*\{/);
    // The minified bundle has no comments left, so any `import` in it is code: static or dynamic.
    expect(min).not.toMatch(/(^|[;})\s])import\s*([({'"*]|[\w$]+\s*(,|from))/);
    for (const code of [readable, min]) {
      expect(code).not.toMatch(/\brequire\s*\(/);
      expect(code).not.toMatch(/node:|\bprocess\.|\bBuffer\b/);
    }
    const gz = gzipSync(min, { level: 9 }).length;
    console.log(`runtime bundle: ${min.length} B minified, ${gz} B minified+gzipped (budget 12288)`);
    expect(gz).toBeLessThanOrEqual(12 * 1024);
  });

  it('runs from its own bundle in a bare module context and agrees with the library', async () => {
    const lib = trainStudent('hashed-linear', topicRows(20, 9), { labels: TOPIC_LABELS, multiLabel: false, seed: 9 });
    const code = await bundleRuntimeSources({ minify: true });
    const mod = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
    const rt = await mod.loadStudent(lib.toBytes());
    expectSame(lib, rt);
  });
});
