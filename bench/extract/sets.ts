import { existsSync } from 'node:fs';
/**
 * The extraction bench's sets, loaded the same way for the student and the CRFsuite peer:
 *
 *   wnut17                      CoNLL; `--train train|train+dev`, `--eval dev|test`
 *   oa_mine, ae_110k, wdc_pave  product_ave JSONL; train → `--eval test`, or `--eval val`: a seeded
 *                               fifth carved out of train (the rest trains), for tuning
 *
 * Tuning reads `dev` (WNUT-17) or `val` (product sets) only; `test` is for the reported figure.
 * Datasets: $APPRENTICE_DATASETS, else ../shared/datasets beside the repo.
 */
import { readConll } from '../../src/data/extract/read-conll.js';
import { attributeSpans, readAttributeJsonl } from '../../src/data/extract/read-jsonl.js';
import { attributeValueMetrics } from '../../src/metrics/attribute-values.js';
import { spanMetrics } from '../../src/metrics/spans.js';
import { tokenizeWithOffsets } from '../../src/text/spans/tokenize.js';
import type { AttributeExample, Span, SpanExample } from '../../src/text/spans/types.js';
import { Rng } from '../../src/util/random.js';
import { SHARED_DATASETS } from '../../test/fixtures/shared-datasets.js';

export const PRODUCT_SETS = ['oa_mine', 'ae_110k', 'wdc_pave'] as const;
export const ALL_SETS = ['wnut17', ...PRODUCT_SETS] as const;

export interface LoadedSet {
  name: string;
  trainName: string;
  evalName: string;
  types: string[];
  /** Every row has `tokens` (CoNLL's own, else the student's tokenizer), so both learners see one tokenization. */
  train: SpanExample[];
  eval: SpanExample[];
  /** product sets: the eval rows' attribute records, for ExtractGPT's string scoring. */
  attributes?: AttributeExample[];
  /** product sets: training values the aligner could not place in their text. */
  unplacedTrainValues?: number;
}

/** What a learner predicted for the eval rows, with per-span confidences where it has them. */
export type PredictedSpans = readonly (readonly (Span & { confidence?: number })[])[];

export function cpuSeconds(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e6;
}

/**
 * Times a learner's tagging of the eval rows: one pass as the first use (JIT compilation, and the
 * student's first pass also pays the garbage collection of its training arrays), then WARM_PASSES
 * more, reported as the steady state (what serving or `predict` over a file sees). Both learners
 * go through this, so they are timed alike. Returns the first pass's output.
 */
export const WARM_PASSES = 3;
export function timeTagging<T>(
  rows: readonly SpanExample[],
  tag: (row: SpanExample) => T,
): { out: T[]; tokensPerSecond: number; tokensPerCpuSecond: number; firstPassTokensPerCpuSecond: number } {
  const tokens = rows.reduce((s, e) => s + e.tokens!.length, 0);
  const c0 = process.cpuUsage();
  const out = rows.map(tag);
  const firstCpu = cpuSeconds(c0);
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  for (let k = 0; k < WARM_PASSES; k++) for (const r of rows) tag(r);
  const wallS = (performance.now() - t1) / 1000;
  const cpu = cpuSeconds(c1);
  return {
    out,
    tokensPerSecond: Math.round((WARM_PASSES * tokens) / wallS),
    tokensPerCpuSecond: Math.round((WARM_PASSES * tokens) / cpu),
    firstPassTokensPerCpuSecond: Math.round(tokens / firstCpu),
  };
}

export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

function root(): string {
  const r = `${SHARED_DATASETS}/`;
  if (!existsSync(r)) throw new Error(`datasets not found at ${r}: set APPRENTICE_DATASETS to the datasets folder`);
  return r;
}

const withTokens = (e: SpanExample): SpanExample => (e.tokens ? e : { ...e, tokens: tokenizeWithOffsets(e.text) });

/** The validation carve for product sets: a fixed seed, so every learner and every run tunes on the same rows. */
const VAL_SEED = 20261207;
const VAL_SHARE = 0.2;

export function loadSet(name: string, trainName: string, evalName: string): LoadedSet {
  const dir = root();
  if (name === 'wnut17') {
    const train = trainName.split('+').flatMap((p) => readConll(`${dir}wnut17/${p}.txt`).examples);
    const evalSet = readConll(`${dir}wnut17/${evalName}.txt`).examples;
    const types = readConll(`${dir}wnut17/train.txt`).types;
    return { name, trainName, evalName, types, train, eval: evalSet };
  }
  if (!(PRODUCT_SETS as readonly string[]).includes(name))
    throw new Error(`unknown set ${name}: ${ALL_SETS.join(', ')}`);
  let trainRows = readAttributeJsonl(`${dir}product_ave/${name}/train.jsonl`).rows;
  let evalRows: AttributeExample[];
  if (evalName === 'val') {
    const order = new Rng(VAL_SEED).shuffle(trainRows.map((_, i) => i));
    const cut = Math.round(trainRows.length * VAL_SHARE);
    const held = new Set(order.slice(0, cut));
    evalRows = trainRows.filter((_, i) => held.has(i));
    trainRows = trainRows.filter((_, i) => !held.has(i));
  } else evalRows = readAttributeJsonl(`${dir}product_ave/${name}/${evalName}.jsonl`).rows;
  const types = [...new Set(trainRows.flatMap((r) => Object.keys(r.attributes)))].sort();
  let unplaced = 0;
  const train = trainRows.map((r) => {
    const { example, unplaced: u } = attributeSpans(r);
    unplaced += u.length;
    return withTokens(example);
  });
  const evalSet = evalRows.map((r) => withTokens(attributeSpans(r).example));
  return {
    name,
    trainName: evalName === 'val' ? 'train minus val' : 'train',
    evalName,
    types,
    train,
    eval: evalSet,
    attributes: evalRows,
    unplacedTrainValues: unplaced,
  };
}

/**
 * The set's headline scores. WNUT-17: entity-level exact-match micro F1 (and partial). Product
 * sets: one value per attribute, as ExtractGPT asks of its LLMs — the most confident span of that
 * type (the first one when the learner gives no confidences) — scored as strings.
 */
export function score(set: LoadedSet, predicted: PredictedSpans): Record<string, number | Record<string, number>> {
  const r4 = (x: number) => +x.toFixed(4);
  if (!set.attributes) {
    const m = spanMetrics(
      set.eval.map((e) => e.spans),
      predicted.map((p) => [...p]),
      set.types,
    );
    return {
      f1: r4(m.micro.f1),
      precision: r4(m.micro.precision),
      recall: r4(m.micro.recall),
      partialF1: r4(m.partial.f1),
      perTypeF1: Object.fromEntries(Object.entries(m.perType).map(([k, v]) => [k, +v.f1.toFixed(3)])),
    };
  }
  const rows = set.attributes.map((r, i) => {
    const value: Record<string, string> = {};
    const best: Record<string, number> = {};
    for (const s of predicted[i]) {
      const c = s.confidence ?? 1;
      if ((best[s.type] ?? -1) < c) {
        best[s.type] = c;
        value[s.type] = s.text;
      }
    }
    return { category: r.category, gold: r.attributes, predicted: value };
  });
  const m = attributeValueMetrics(rows);
  return {
    f1: r4(m.micro.f1),
    precision: r4(m.micro.precision),
    recall: r4(m.micro.recall),
    macroF1: r4(m.macro.f1),
  };
}
