import { existsSync } from 'node:fs';
/**
 * The sequence-perceptron student on WNUT-17 (entity F1) and one product_ave set (attribute-value
 * F1, scored as ExtractGPT scores it). Prints one JSON object per run on stdout.
 *
 *   node --import tsx bench/extract/student.ts wnut17 [--train train|train+dev] [--eval dev|test] [--params '{"window":2}']
 *   node --import tsx bench/extract/student.ts product [--set oa_mine] [--eval test] [--params ...]
 *
 * Tune on `--eval dev` (WNUT) only; test is for the figure reported. Datasets: $APPRENTICE_DATASETS,
 * else ../shared/datasets beside the repo, else /work/shared/datasets.
 */
import { readConll } from '../../src/data/extract/read-conll.js';
import { attributeSpans, readAttributeJsonl } from '../../src/data/extract/read-jsonl.js';
import type { SpanExample } from '../../src/text/spans/types.js';
import { attributeValueMetrics } from '../../src/metrics/attribute-values.js';
import { spanMetrics } from '../../src/metrics/spans.js';
import { SequencePerceptronParamsSchema, sequencePerceptronKind } from '../../src/student/sequence/index.js';
import { SHARED_DATASETS } from '../../test/fixtures/shared-datasets.js';

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
// WNUT-17's setting chosen on dev (see params.ts `outsideBias`); product sets use the defaults.
const which = process.argv[2] ?? 'wnut17';
const paramsArg = arg('params', which === 'wnut17' ? '{"outsideBias":0.3}' : '{}');
const params = SequencePerceptronParamsSchema.parse(JSON.parse(paramsArg));
const seed = Number(arg('seed', '1'));
function timeTagging(student: ReturnType<typeof sequencePerceptronKind.train>, test: SpanExample[]) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const preds = test.map((e) => student.predict(e.text, e.tokens));
  const ms = performance.now() - t0;
  const tagCpu = cpuSeconds(c0);
  const tokens = preds.reduce((s, p) => s + p.tokens.length, 0);
  return { preds, ms, tokens, tagCpu };
}

if (which === 'wnut17') {
  const parts = arg('train', 'train').split('+');
  const train = parts.flatMap((p) => readConll(`${root}wnut17/${p}.txt`).examples);
  const evalSet = readConll(`${root}wnut17/${arg('eval', 'dev')}.txt`).examples;
  const types = readConll(`${root}wnut17/train.txt`).types;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const student = sequencePerceptronKind.train(train, { types, seed }, params);
  const trainMs = performance.now() - t0;
  const trainCpu = cpuSeconds(c0);
  const { preds, ms, tokens, tagCpu } = timeTagging(student, evalSet);
  const m = spanMetrics(
    evalSet.map((e) => e.spans),
    preds.map((p) => p.spans),
    types,
  );
  process.stdout.write(
    `${JSON.stringify({
      dataset: 'wnut17',
      train: arg('train', 'train'),
      eval: arg('eval', 'dev'),
      seed,
      params: JSON.parse(paramsArg),
      f1: +m.micro.f1.toFixed(4),
      precision: +m.micro.precision.toFixed(4),
      recall: +m.micro.recall.toFixed(4),
      partialF1: +m.partial.f1.toFixed(4),
      perTypeF1: Object.fromEntries(Object.entries(m.perType).map(([k, v]) => [k, +v.f1.toFixed(3)])),
      trainSeconds: +(trainMs / 1000).toFixed(2),
      tokensPerSecond: Math.round(tokens / (ms / 1000)),
      tokensPerCpuSecond: Math.round(tokens / tagCpu),
      trainCpuSeconds: +trainCpu.toFixed(2),
      modelBytes: student.toBytes().length,
      info: (student as any).state.info,
    })}\n`,
  );
} else {
  const set = arg('set', 'oa_mine');
  const trainRows = readAttributeJsonl(`${root}product_ave/${set}/train.jsonl`).rows;
  const testRows = readAttributeJsonl(`${root}product_ave/${set}/${arg('eval', 'test')}.jsonl`).rows;
  const types = [...new Set(trainRows.flatMap((r) => Object.keys(r.attributes)))].sort();
  let unplaced = 0;
  const train = trainRows.map((r) => {
    const { example, unplaced: u } = attributeSpans(r);
    unplaced += u.length;
    return example;
  });
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const student = sequencePerceptronKind.train(train, { types, seed }, params);
  const trainMs = performance.now() - t0;
  const trainCpu = cpuSeconds(c0);
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  const preds = testRows.map((r) => student.predict(r.text));
  const ms = performance.now() - t1;
  const tagCpu = cpuSeconds(c1);
  const tokens = preds.reduce((s, p) => s + p.tokens.length, 0);
  // One value per attribute, as ExtractGPT asks of its LLMs: the most confident span of that type.
  const rows = testRows.map((r, i) => {
    const predicted: Record<string, string> = {};
    const best: Record<string, number> = {};
    for (const s of preds[i].spans) {
      if ((best[s.type] ?? -1) < s.confidence) {
        best[s.type] = s.confidence;
        predicted[s.type] = s.text;
      }
    }
    return { category: r.category, gold: r.attributes, predicted };
  });
  const m = attributeValueMetrics(rows);
  process.stdout.write(
    `${JSON.stringify({
      dataset: `product_ave/${set}`,
      eval: arg('eval', 'test'),
      seed,
      attributes: types.length,
      unplacedTrainValues: unplaced,
      microF1: +m.micro.f1.toFixed(4),
      microPrecision: +m.micro.precision.toFixed(4),
      microRecall: +m.micro.recall.toFixed(4),
      macroF1: +m.macro.f1.toFixed(4),
      trainSeconds: +(trainMs / 1000).toFixed(2),
      tokensPerSecond: Math.round(tokens / (ms / 1000)),
      tokensPerCpuSecond: Math.round(tokens / tagCpu),
      trainCpuSeconds: +trainCpu.toFixed(2),
      modelBytes: student.toBytes().length,
      info: (student as any).state.info,
    })}\n`,
  );
}
