/**
 * The peer: CRFsuite (npm `crfsuite`, a binding of Okazaki's C library; L-BFGS-trained linear-chain
 * CRF with elastic-net c1/c2) on one extraction set (see sets.ts), over the same feature strings the
 * student hashes (src/student/sequence/features.ts `tokenFeatures`) and the same tokens, so the
 * comparison is learner against learner. Prints one JSON line.
 *
 *   node --import tsx bench/extract/crfsuite.ts [wnut17|oa_mine|ae_110k|wdc_pave] [--train train+dev] [--eval dev|val|test] [--c1 0.1] [--c2 0.1] [--iterations 100]
 *
 * Product sets: the tagger gives no per-span confidences here, so an attribute's value is its first
 * predicted span. bench-only: `crfsuite` is a devDependency (compiled from source on install).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tokenFeatures } from '../../src/student/sequence/features.js';
import { SequencePerceptronParamsSchema } from '../../src/student/sequence/params.js';
import { spansToTags, tagNames, tagsToSpans } from '../../src/text/spans/bio.js';
import type { SpanExample } from '../../src/text/spans/types.js';
import { arg, cpuSeconds, loadSet, score, timeTagging } from './sets.js';

const require = createRequire(import.meta.url);
const crfsuite = require('crfsuite') as typeof import('crfsuite');

const name = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : 'wnut17';
const isWnut = name === 'wnut17';
const set = loadSet(name, arg('train', isWnut ? 'train+dev' : 'train'), arg('eval', isWnut ? 'dev' : 'test'));
const defaults = SequencePerceptronParamsSchema.parse({});
const cfg = { window: defaults.window, charNgramMax: defaults.charNgramMax, affixMax: defaults.affixMax };

function xseq(e: SpanExample): string[][] {
  const out: string[][] = e.tokens!.map(() => []);
  // CRFsuite reads "name:value" as a weighted attribute; keep colons out of names.
  tokenFeatures(e.text, e.tokens!, cfg, (i, f) => out[i].push(f.replaceAll(':', '=')));
  return out;
}

const names = tagNames(set.types);
const tagOf = new Map(names.map((t, i) => [t, i]));
const c1Arg = arg('c1', '0.1');
const c2Arg = arg('c2', '0.1');
const iterations = arg('iterations', '100');

const dir = mkdtempSync(join(tmpdir(), 'crfsuite-'));
const model = join(dir, 'model.crfsuite');
try {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const trainer = new crfsuite.Trainer({ debug: false });
  trainer.set_params({ c1: c1Arg, c2: c2Arg, max_iterations: iterations, 'feature.possible_transitions': '1' });
  for (const e of set.train) {
    const tags = spansToTags(e.tokens!, e.spans, set.types).tags;
    trainer.append(
      xseq(e),
      Array.from(tags, (t) => names[t]),
    );
  }
  trainer.train(model);
  const trainMs = performance.now() - t0;
  const trainCpu = cpuSeconds(c0);
  const tagger = new crfsuite.Tagger();
  if (!tagger.open(model)) throw new Error('crfsuite could not open its model');
  const { out: predicted, ...tagging } = timeTagging(set.eval, (e) => {
    // The binding returns the tag list itself (its index.d.ts says `{ result }`).
    const result = tagger.tag(xseq(e)) as unknown as string[];
    return tagsToSpans(
      e.text,
      e.tokens!,
      result.map((t) => tagOf.get(t) ?? 0),
      set.types,
    );
  });
  process.stdout.write(
    `${JSON.stringify({
      learner: 'crfsuite',
      dataset: set.name,
      train: set.trainName,
      eval: set.evalName,
      c1: Number(c1Arg),
      c2: Number(c2Arg),
      iterations: Number(iterations),
      ...score(set, predicted),
      trainSeconds: +(trainMs / 1000).toFixed(2),
      trainCpuSeconds: +trainCpu.toFixed(2),
      ...tagging,
      modelBytes: statSync(model).size,
    })}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
