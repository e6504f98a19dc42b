import { describe, expect, it } from 'vitest';
// The extraction runtime (src/runtime/extract.ts) is a leaf that copies the library's tokenizer,
// features and decoder; these tests hold the copy to the library, span for span and bit for bit.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadExtractor, RuntimeModelError } from '../runtime/extract.js';
import { SPAN_TYPES, spanRows } from '../student/sequence/synthetic-spans.js';
import type { SpanStudent } from '../student/sequence/types.js';
import { trainSpanStudent } from '../student/span-registry.js';
import { trainStudent } from '../student/registry.js';
import { TOPIC_LABELS, topicRows } from '../student/synthetic-topics.js';
import { runCli, tempDir } from '../cli/cli-harness.js';
import { bundleRuntimeSources } from './runtime-bundle.js';

const probes = [
  ...spanRows(15, 21, true).map((r) => r.text),
  '',
  '   ',
  '?!',
  'Ünïcödé cafés — naïve façade 😀 in São Paulo with @ada_l #Kindle https://example.com/x?y=1',
  'Hedy Lamarr '.repeat(300),
  "don't can't won't ‘quoted’ `tick` o'neil wi-fi 2.0ghz 24/7",
  '𝒜𝒹𝒶 flew to 東京 with İstanbul friends',
];

type Extractor = Awaited<ReturnType<typeof loadExtractor>>;

function expectSame(lib: SpanStudent, rt: Extractor): void {
  for (const text of probes) {
    const a = lib.predict(text);
    const b = rt.extract(text);
    // Bit for bit: the same offsets, types and float64 scores.
    expect(b.spans, text).toEqual(
      a.spans.map((s) => ({ start: s.start, end: s.end, type: s.type, text: s.text, score: s.confidence })),
    );
    expect(b.confidence, text).toBe(a.confidence);
  }
}

function train(params: Record<string, unknown> = {}, seed = 1): SpanStudent {
  return trainSpanStudent('sequence-perceptron', spanRows(150, seed), { types: [...SPAN_TYPES], seed }, params);
}

describe('extraction runtime', () => {
  it('tags exactly as the library does (int8 model, held-out temperature and O bias)', async () => {
    const lib = train({ outsideBias: 0.3 });
    const rt = await loadExtractor(lib.toBytes());
    expect(rt.types).toEqual([...SPAN_TYPES]);
    expect(probes.some((t) => rt.extract(t).spans.length > 0)).toBe(true);
    expectSame(lib, rt);
  });

  it('tags exactly as the library does with float32 weights and a small window', async () => {
    const lib = train({ quantize: 'none', window: 1, charNgramMax: 3, affixMax: 2 }, 2);
    expectSame(lib, await loadExtractor(lib.toBytes().buffer.slice(0) as ArrayBuffer));
  });

  it('refuses damaged files and classification models with a RuntimeModelError', async () => {
    const bytes = train().toBytes();
    await expect(loadExtractor(bytes.subarray(0, bytes.length - 1))).rejects.toThrow(RuntimeModelError);
    const bad = bytes.slice();
    bad[20] ^= 0xff;
    await expect(loadExtractor(bad)).rejects.toThrow(/checksum/);
    await expect(loadExtractor(new Uint8Array(4))).rejects.toThrow(/magic/);
    await expect(loadExtractor(42 as never)).rejects.toThrow(TypeError);
    const clf = trainStudent('hashed-linear', topicRows(10, 1), { labels: TOPIC_LABELS, multiLabel: false, seed: 1 });
    await expect(loadExtractor(clf.toBytes())).rejects.toThrow(/"hashed-linear".*sequence-perceptron/);
  });

  it('is its own bundle: no imports, no Node APIs; the classification bundle carries none of it', async () => {
    const min = await bundleRuntimeSources({ minify: true, entry: 'extract' });
    expect(min).not.toMatch(/(^|[;})\s])import\s*([({'"*]|[\w$]+\s*(,|from))/);
    expect(min).not.toMatch(/\brequire\s*\(|node:|\bprocess\.|\bBuffer\b/);
    const classify = await bundleRuntimeSources({ minify: true });
    expect(classify).not.toMatch(/sequence-perceptron|loadExtractor/);
    console.log(
      `extraction runtime bundle: ${min.length} B minified, ${gzipSync(min, { level: 9 }).length} B minified+gzipped`,
    );
    const lib = train({}, 3);
    const mod = await import(`data:text/javascript;base64,${Buffer.from(min).toString('base64')}`);
    expectSame(lib, await mod.loadExtractor(lib.toBytes()));
  });
});

describe('apprentice export runtime on an extraction model', () => {
  it('writes the extraction runtime, the model, a worker and a page', async () => {
    const tmp = tempDir();
    try {
      const rows = spanRows(60, 4);
      const conll = rows
        .map((r) => {
          let at = 0;
          return r.text
            .split(' ')
            .map((w) => {
              const start = r.text.indexOf(w, at);
              at = start + w.length;
              const s = r.spans.find((sp) => start >= sp.start && start < sp.end);
              return `${w}\t${s ? `${start === s.start ? 'B' : 'I'}-${s.type}` : 'O'}`;
            })
            .join('\n');
        })
        .join('\n\n');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(path.join(tmp.dir, 'train.conll'), `${conll}\n`);
      const t = await runCli(['train', 'train.conll', '--out', 'model', '--eval', 'train.conll'], { cwd: tmp.dir });
      expect(t.code, t.stderr).toBe(0);
      const r = await runCli(['export', 'runtime', 'model', '--out', 'web'], { cwd: tmp.dir });
      expect(r.code, r.stderr).toBe(0);
      for (const f of ['apprentice-runtime-extract.js', 'student.bin', 'worker.js', 'index.html'])
        expect(existsSync(path.join(tmp.dir, 'web', f)), f).toBe(true);
      expect(existsSync(path.join(tmp.dir, 'web', 'apprentice-runtime.js'))).toBe(false);
      const page = readFileSync(path.join(tmp.dir, 'web', 'index.html'), 'utf8');
      expect(page).toMatch(/loadExtractor/);
      expect(page).toMatch(/"types":\["city","person","product"\]/);
      expect(page).toMatch(/"f1":/);
    } finally {
      tmp.cleanup();
    }
  });
});
