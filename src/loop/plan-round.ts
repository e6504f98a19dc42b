import type { GenerateRequest } from '../teacher/types.js';
import type { Student } from '../student/types.js';
import type { EvalMetrics } from './types.js';
import type { LoopSettings } from '../task/schema.js';
import type { Rng } from '../util/random.js';
import { selectDiverse, type Candidate } from './select-diverse.js';
import { textVector } from './text-vector.js';
import { mostConfusedPairs, weakestLabels } from '../metrics/index.js';

export interface RoundPlan {
  /** Indices into the unlabeled pool to send to the teacher for labels. */
  pool: number[];
  /** Examples to ask the teacher to write. */
  generate: GenerateRequest[];
}

export interface PlanInput {
  strategy: LoopSettings['strategy'];
  answers: number;
  poolShare: number;
  candidatePool: number;
  /** Unlabeled pool texts still available (index = position in this array). */
  pool: readonly string[];
  student: Student;
  diagnosis: Diagnosis;
  labels: readonly string[];
  /** Whether the teacher can write examples at all (an empty generate plan otherwise). */
  canGenerate: boolean;
  rng: Rng;
}

export interface Diagnosis {
  weakest: { label: string; f1: number }[];
  confusedPairs: { gold: string; predicted: string; count: number }[];
}

/** Largest number of examples asked for in one generate request. */
const GENERATE_CHUNK = 4;

/**
 * Decides how a round spends its answers. Baselines (`random`, `margin`) spend everything on pool
 * labels. The closed loop splits between (a) uncertain-but-diverse pool inputs and (b) generated
 * examples: hard negatives for the most confused label pairs and plain examples for the weakest labels.
 */
export function planRound(input: PlanInput): RoundPlan {
  const { strategy, answers, pool } = input;
  const generateShare = strategy === 'closed-loop' && input.canGenerate ? 1 - input.poolShare : 0;
  let generateAnswers = Math.round(answers * generateShare);
  let poolAnswers = Math.min(pool.length, answers - generateAnswers);
  // Whatever the pool cannot absorb goes to generation, and vice versa.
  if (strategy === 'closed-loop' && input.canGenerate) generateAnswers = answers - poolAnswers;
  else generateAnswers = 0;

  return {
    pool: choosePool(input, poolAnswers),
    generate: generateAnswers > 0 ? planGeneration(input.diagnosis, input.labels, generateAnswers) : [],
  };
}

/** Chooses k pool inputs for the teacher to label, by the loop strategy (random, margin, or uncertain-and-diverse). */
export function choosePool(input: Pick<PlanInput, 'strategy' | 'candidatePool' | 'pool' | 'student' | 'labels' | 'rng'>, k: number): number[] {
  const { pool, rng } = input;
  if (k <= 0) return [];
  if (input.strategy === 'random') return rng.sample(range(pool.length), k).sort((a, b) => a - b);
  // Score a random subset of the pool: scoring all of a very large pool every round buys little.
  const indices = pool.length <= input.candidatePool ? range(pool.length) : rng.sample(range(pool.length), input.candidatePool);
  const predictions = input.student.predictBatch(indices.map((i) => pool[i]));
  if (input.strategy === 'margin') {
    return indices
      .map((index, j) => ({ index, margin: predictions[j].margin }))
      .sort((a, b) => a.margin - b.margin || a.index - b.index)
      .slice(0, k)
      .map((c) => c.index);
  }
  const candidates: Candidate[] = indices.map((index, j) => ({
    index,
    margin: predictions[j].margin,
    predicted: predictions[j].labels[0] ?? '',
    vector: textVector(pool[index]),
  }));
  return selectDiverse(candidates, { k, labelCount: input.labels.length });
}

/**
 * Half the generation answers go to hard negatives for confused pairs (examples of the gold label
 * that the student mistakes for the predicted one), half to the weakest labels, most needy first.
 */
export function planGeneration(diagnosis: Diagnosis, labels: readonly string[], answers: number): GenerateRequest[] {
  const requests: GenerateRequest[] = [];
  let left = answers;
  const pairs = diagnosis.confusedPairs.filter((p) => p.count > 0);
  let pairBudget = pairs.length > 0 ? Math.floor(answers / 2) : 0;
  for (let i = 0; pairBudget > 0 && i < pairs.length * 2; i++) {
    const p = pairs[i % pairs.length];
    const n = Math.min(GENERATE_CHUNK, pairBudget, Math.max(1, Math.ceil(p.count / 2)));
    requests.push({ label: p.gold, guidance: { confusedWith: p.predicted }, n });
    pairBudget -= n;
    left -= n;
  }
  const weak = diagnosis.weakest.length > 0 ? diagnosis.weakest.map((w) => w.label) : [...labels];
  for (let i = 0; left > 0; i++) {
    const n = Math.min(GENERATE_CHUNK, left);
    requests.push({ label: weak[i % weak.length], n });
    left -= n;
  }
  return mergeSame(requests);
}

/** One request per (label, guidance): fewer, larger requests cost less prompt overhead. */
function mergeSame(requests: GenerateRequest[]): GenerateRequest[] {
  const byKey = new Map<string, GenerateRequest>();
  for (const r of requests) {
    const key = `${r.label}\u0000${r.guidance?.confusedWith ?? ''}`;
    const prev = byKey.get(key);
    if (prev) prev.n += r.n;
    else byKey.set(key, { ...r, guidance: r.guidance ? { ...r.guidance } : undefined });
  }
  return [...byKey.values()];
}

/** Weakest labels and most confused pairs from an evaluation, for the next round's plan. */
export function diagnose(metrics: EvalMetrics, k = 10): Diagnosis {
  return {
    weakest: weakestLabels(metrics.perLabel, k),
    confusedPairs: metrics.confusion ? mostConfusedPairs(metrics.confusion, metrics.labels, k) : [],
  };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
