import type { Student } from '../student/types.js';
import type { EvalMetrics, TextPool } from '../core/types.js';
import type { LoopSettings } from '../task/schema.js';
import type { Rng } from '../util/random.js';
import { selectDiverse, type Candidate } from './select-diverse.js';
import { pickBySkill, SKILL_POOL_SHARE } from './skill-picks.js';
import { mostConfusedPairs, weakestLabels } from '../metrics/index.js';
import { wordNgramVector } from '../text/word-ngram-vector.js';
import { scoreTexts } from './score-texts.js';
import { drawIndices, range } from './pool-positions.js';

/** What `choosePool` needs to know. */
export interface PoolChoice {
  strategy: LoopSettings['strategy'];
  /** Pool inputs scored per round (a random subset when the pool is larger). */
  candidatePool: number;
  /** Unlabeled pool texts still available (index = position in this view): only the scored ones are read. */
  pool: Pick<TextPool, 'size' | 'textsAt'>;
  student: Student;
  labels: readonly string[];
  rng: Rng;
  /** Threads the candidates are scored on (default 1). */
  threads?: number;
  /**
   * Skill-targeted acquisition (data.skillSteer has `pool`): per text, the skill it falls in and
   * how much validation error that skill carries. A share of the picks (SKILL_POOL_SHARE) then goes
   * to the weak skills; the rest follow `strategy`.
   */
  skills?: (texts: readonly string[]) => { skill: string; weight: number }[];
}

export interface Diagnosis {
  weakest: { label: string; f1: number }[];
  confusedPairs: { gold: string; predicted: string; count: number }[];
}

/** Chooses k pool inputs for the teacher to label, by the loop strategy (random, margin, or uncertain-and-diverse). */
export async function choosePool(input: PoolChoice, k: number): Promise<number[]> {
  const { pool, rng } = input;
  if (k <= 0) return [];
  if (input.strategy === 'random') return drawIndices(pool.size, k, rng).sort((a, b) => a - b);
  // Score a random subset of the pool: scoring all of a very large pool every round buys little,
  // and drawing it costs O(candidatePool) above SHUFFLE_MAX, whatever the pool's size.
  const indices =
    pool.size <= input.candidatePool ? range(pool.size) : drawIndices(pool.size, input.candidatePool, rng);
  const texts = pool.textsAt(indices);
  const scored = (await scoreTexts(input.student, texts, input.threads ?? 1)).map((s, j) => ({
    index: indices[j],
    text: texts[j],
    ...s,
  }));
  let targeted: number[] = [];
  let rest = scored;
  if (input.skills) {
    const targets = input.skills(scored.map((c) => c.text));
    targeted = pickBySkill(
      scored.map((c, j) => ({ index: c.index, margin: c.margin, ...targets[j] })),
      Math.round(k * SKILL_POOL_SHARE),
    );
    const taken = new Set(targeted);
    rest = scored.filter((c) => !taken.has(c.index));
  }
  const left = k - targeted.length;
  if (input.strategy === 'margin') {
    return [
      ...targeted,
      ...rest
        .slice()
        .sort((a, b) => a.margin - b.margin || a.index - b.index)
        .slice(0, left)
        .map((c) => c.index),
    ];
  }
  const candidates: Candidate[] = rest.map((c) => ({
    index: c.index,
    margin: c.margin,
    predicted: c.predicted,
    vector: wordNgramVector(c.text),
  }));
  return [...targeted, ...selectDiverse(candidates, { k: left, labelCount: input.labels.length })];
}

/** Weakest labels and most confused pairs from an evaluation, for the next round's plan. */
export function diagnose(metrics: EvalMetrics, k = 10): Diagnosis {
  return {
    weakest: weakestLabels(metrics.perLabel, k),
    confusedPairs: metrics.confusion ? mostConfusedPairs(metrics.confusion, metrics.labels, k) : [],
  };
}
