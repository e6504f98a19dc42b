import type { SpanStudent } from '../../student/sequence/types.js';
import { trainSpanStudent } from '../../student/span-registry.js';
import type { Task } from '../../task/schema.js';
import { Rng } from '../../util/random.js';
import { MIN_MEASURED_ROWS } from '../ablation.js';
import type { StrategyBandit } from '../bandit.js';
import type { ExtractArmRound, ExtractRow } from './types.js';

/**
 * Measures the round's arms by ablation and hands the gains to the bandit for the next split
 * (per answer, or per dollar with a price, as the classification loop's measure-arms.ts); each
 * measured arm's record gets the gain its answers bought.
 */
export function creditArms(args: {
  bandit: StrategyBandit;
  task: Task;
  types: readonly string[];
  training: readonly ExtractRow[];
  round: number;
  arms: Record<string, ExtractArmRound>;
  full: SpanStudent;
  validation: readonly ExtractRow[];
  priced: boolean;
}): void {
  const { arms } = args;
  const perAnswer = measureExtractArmGains({
    ...args,
    answers: Object.fromEntries(Object.entries(arms).map(([name, a]) => [name, a.answers])),
  });
  const gains = args.bandit.recordRound(
    Object.fromEntries(Object.entries(perAnswer).map(([name, value]) => [name, { ...arms[name], perAnswer: value }])),
    args.priced,
  );
  for (const [name, gain] of Object.entries(gains)) arms[name].gain = gain;
}

/**
 * Validation gain per answer each arm's rows of this round brought, by ablation as in the
 * classification loop (src/loop/ablation.ts): the student retrained without some of the arm's rows
 * of the round, on the same seed, scored on the same validation rows. Every measured arm loses the
 * same number of rows (as many as the smallest measured arm added), since gains shrink as rows are
 * added; an arm with fewer than MIN_MEASURED_ROWS rows this round is not measured (it keeps its
 * earlier estimate in the bandit).
 *
 * The score is a soft span F1 (`softSpanF1`), not span F1: removing a few dozen rows flips a handful
 * of decoded spans, mostly retraining noise, while the span confidences move with every row.
 */
export function measureExtractArmGains(args: {
  task: Task;
  types: readonly string[];
  training: readonly ExtractRow[];
  round: number;
  /** Answers each arm spent this round. */
  answers: Readonly<Record<string, number>>;
  /** The student trained on every row of `training`. */
  full: SpanStudent;
  validation: readonly ExtractRow[];
}): Record<string, number> {
  const { task, types, training, round } = args;
  const rowsOf = new Map<string, number[]>();
  training.forEach((r, i) => {
    if (r.round !== round || r.arm === undefined) return;
    const list = rowsOf.get(r.arm);
    if (list) list.push(i);
    else rowsOf.set(r.arm, [i]);
  });
  for (const [arm, rows] of rowsOf) if (rows.length < MIN_MEASURED_ROWS || !(args.answers[arm] > 0)) rowsOf.delete(arm);
  if (rowsOf.size === 0) return {};
  const m = Math.min(...[...rowsOf.values()].map((r) => r.length));
  const fullScore = softSpanF1(args.full, args.validation);
  const rng = new Rng(task.seed + round);
  const perAnswer: Record<string, number> = {};
  for (const [arm, own] of rowsOf) {
    const removed = new Set(m >= own.length ? own : rng.sample(own, m));
    const rows = training
      .filter((_, i) => !removed.has(i))
      .map((r) => ({ text: r.text, spans: r.spans, ...(r.tokens ? { tokens: r.tokens } : {}) }));
    if (rows.length === 0) continue;
    const student = trainSpanStudent(task.student.kind, rows, { types, seed: task.seed }, task.student.params);
    const gain = fullScore - softSpanF1(student, args.validation);
    perAnswer[arm] = (gain / removed.size) * (own.length / args.answers[arm]);
  }
  return perAnswer;
}

/**
 * Span F1 with each predicted span counted by its confidence: expected exact matches over the
 * expected number of predicted spans and the gold count, 2·Σ conf(matching) / (Σ conf(all) + gold).
 * The student exposes span marginals, not the probability of the gold tagging, so this stands in
 * for the classification loop's log-likelihood: it moves smoothly with every probability.
 */
export function softSpanF1(student: SpanStudent, rows: readonly ExtractRow[]): number {
  const predictions = student.predictBatch(rows.map((r) => ({ text: r.text, tokens: r.tokens })));
  let matched = 0;
  let predicted = 0;
  let gold = 0;
  rows.forEach((row, i) => {
    const golds = new Set(row.spans.map((s) => `${s.start}:${s.end}:${s.type}`));
    gold += golds.size;
    for (const p of predictions[i].spans) {
      predicted += p.confidence;
      if (golds.has(`${p.start}:${p.end}:${p.type}`)) matched += p.confidence;
    }
  });
  const denominator = predicted + gold;
  return denominator > 0 ? (2 * matched) / denominator : 0;
}
