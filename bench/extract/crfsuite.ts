import { existsSync } from 'node:fs';
/**
 * The peer: CRFsuite (npm `crfsuite`, a binding of Okazaki's C library; L-BFGS-trained linear-chain
 * CRF) on WNUT-17, over the same feature strings the student hashes (src/student/sequence/
 * features.ts `tokenFeatures`), so the comparison is learner against learner. Prints one JSON line.
 *
 *   node --import tsx bench/extract/crfsuite.ts [--train train+dev] [--eval test] [--c1 0.1] [--c2 0.1] [--iterations 100]
 *
 * bench-only: `crfsuite` is a devDependency (compiled from source on install, ~6 s).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tagsToSpans, tagNames } from '../../src/text/spans/bio.js';
import { readConll } from '../../src/data/extract/read-conll.js';
import type { SpanExample } from '../../src/text/spans/types.js';
import { spanMetrics } from '../../src/metrics/spans.js';
import { tokenFeatures } from '../../src/student/sequence/features.js';
import { SequencePerceptronParamsSchema } from '../../src/student/sequence/params.js';
import { SHARED_DATASETS } from '../../test/fixtures/shared-datasets.js';

const require = createRequire(import.meta.url);
const crfsuite = require('crfsuite') as typeof import('crfsuite');

/** CPU seconds (user + system) since `from`: steadier than wall time on a shared machine. */
function cpuSeconds(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e6;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

const root = `${SHARED_DATASETS}/`;
if (!existsSync(root)) throw new Error(`datasets not found at ${root}: set APPRENTICE_DATASETS to the datasets folder`);
const defaults = SequencePerceptronParamsSchema.parse({});
const cfg = { window: defaults.window, charNgramMax: defaults.charNgramMax, affixMax: defaults.affixMax };

function xseq(e: SpanExample): string[][] {
  const out: string[][] = e.tokens!.map(() => []);
  // CRFsuite reads "name:value" as a weighted attribute; keep colons out of names.
  tokenFeatures(e.text, e.tokens!, cfg, (i, f) => out[i].push(f.replaceAll(':', '=')));
  return out;
}

const trainName = arg('train', 'train+dev');
const evalName = arg('eval', 'dev');
const train = trainName.split('+').flatMap((p) => readConll(`${root}wnut17/${p}.txt`).examples);
const evalSet = readConll(`${root}wnut17/${evalName}.txt`).examples;
const types = readConll(`${root}wnut17/train.txt`).types;
const names = tagNames(types);
const tagOf = new Map(names.map((t, i) => [t, i]));

const dir = mkdtempSync(join(tmpdir(), 'crfsuite-'));
const model = join(dir, 'model.crfsuite');
try {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const trainer = new crfsuite.Trainer({ debug: false });
  trainer.set_params({
    c1: arg('c1', '0.1'),
    c2: arg('c2', '0.1'),
    max_iterations: arg('iterations', '100'),
    'feature.possible_transitions': '1',
  });
  for (const e of train) {
    const tags = new Array<string>(e.tokens!.length).fill('O');
    for (const s of e.spans) {
      const covered = e.tokens!.map((t, i) => (t.start < s.end && s.start < t.end ? i : -1)).filter((i) => i >= 0);
      covered.forEach((i, k) => (tags[i] = `${k === 0 ? 'B' : 'I'}-${s.type}`));
    }
    trainer.append(xseq(e), tags);
  }
  trainer.train(model);
  const trainMs = performance.now() - t0;
  const trainCpu = cpuSeconds(c0);
  const tagger = new crfsuite.Tagger();
  if (!tagger.open(model)) throw new Error('crfsuite could not open its model');
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  const predicted = evalSet.map((e) => {
    // The binding returns the tag list itself (its index.d.ts says `{ result }`).
    const result = tagger.tag(xseq(e)) as unknown as string[];
    return tagsToSpans(
      e.text,
      e.tokens!,
      result.map((t) => tagOf.get(t) ?? 0),
      types,
    );
  });
  const ms = performance.now() - t1;
  const tagCpu = cpuSeconds(c1);
  const tokens = evalSet.reduce((s, e) => s + e.tokens!.length, 0);
  const m = spanMetrics(
    evalSet.map((e) => e.spans),
    predicted,
    types,
  );
  process.stdout.write(
    `${JSON.stringify({
      peer: 'crfsuite',
      train: trainName,
      eval: evalName,
      c1: arg('c1', '0.1'),
      c2: arg('c2', '0.1'),
      iterations: arg('iterations', '100'),
      f1: +m.micro.f1.toFixed(4),
      precision: +m.micro.precision.toFixed(4),
      recall: +m.micro.recall.toFixed(4),
      partialF1: +m.partial.f1.toFixed(4),
      trainSeconds: +(trainMs / 1000).toFixed(2),
      tokensPerSecond: Math.round(tokens / (ms / 1000)),
      tokensPerCpuSecond: Math.round(tokens / tagCpu),
      trainCpuSeconds: +trainCpu.toFixed(2),
      modelBytes: statSync(model).size,
    })}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
