import { ConfigError } from '../../errors.js';
import type { Task } from '../../task/schema.js';
import type { ExtractGenerateRequest, ExtractTeacher } from '../../teacher/extract/types.js';
import type { ExtractWeaknesses } from './diagnose.js';
import type { ExtractRow } from './types.js';

/** The arm that asks about uncertain-and-diverse pool texts. */
export const POOL_ARM = 'pool';
/**
 * The generation arms: texts with mentions of the weakest type; hard negatives for the most
 * confused pair; texts with no mention at all (what is not an entity).
 */
export const GENERATION_ARMS = ['weak-type', 'hard-negative', 'entity-free'] as const;
export type GenerationArm = (typeof GENERATION_ARMS)[number];

/** `data.strategies` names an extract task may use, and the arm each turns on. */
const FROM_STRATEGY: Record<string, GenerationArm> = { 'weak-label': 'weak-type', 'hard-negative': 'hard-negative' };

/**
 * The arms of a run. Generation needs a teacher that can write (or hand out) annotated texts, the
 * `closed-loop` strategy (`margin` and `random` stay pool-only baselines) and a `loop.poolShare`
 * below 1 (`poolShare: 1` turns generation off, as in a classification task). `data.strategies`
 * picks the arms: `weak-label` → weak-type, `hard-negative` → hard-negative; entity-free comes with
 * either (a student that only ever sees the types' mentions written for it learns to tag too much).
 */
export function extractArms(task: Task, teacher: ExtractTeacher): string[] {
  if (task.loop.strategy !== 'closed-loop' || !teacher.generate || task.loop.poolShare >= 1) return [POOL_ARM];
  const unknown = task.data.strategies.filter((s) => !(s in FROM_STRATEGY));
  if (unknown.length)
    throw new ConfigError(`data.strategies: \`${unknown.join('`, `')}\` cannot generate for an extract task`, {
      field: 'data.strategies',
      hint: `an extract task takes ${Object.keys(FROM_STRATEGY).join(' and ')}; set loop.poolShare: 1 to turn generation off`,
    });
  const arms: string[] = [POOL_ARM];
  for (const s of task.data.strategies) if (!arms.includes(FROM_STRATEGY[s])) arms.push(FROM_STRATEGY[s]);
  arms.push('entity-free');
  return arms;
}

/** Before anything is measured: the task's pool share for the pool, the rest evenly among generation arms. */
export function armPrior(task: Task, arms: readonly string[]): Record<string, number> {
  const generation = arms.filter((a) => a !== POOL_ARM);
  const out: Record<string, number> = { [POOL_ARM]: generation.length > 0 ? task.loop.poolShare : 1 };
  for (const a of generation) out[a] = (1 - task.loop.poolShare) / generation.length;
  return out;
}

/** Texts shown as `avoid`: enough to steer an LLM away from repeats, few enough to keep requests cheap. */
const AVOID = 8;

/**
 * The requests a generation arm makes this round, in the order to try them: the teacher may have
 * fewer texts for one aim than asked (the dataset teacher runs out of rows), and the arm then
 * moves to the next. weak-type: the weakest types in turn; hard-negative: the most confused pairs
 * in turn; entity-free: one aim. None when the round's diagnosis gives the arm nothing to aim at.
 */
export function armRequests(
  arm: string,
  weaknesses: ExtractWeaknesses,
  training: readonly ExtractRow[],
): Omit<ExtractGenerateRequest, 'n'>[] {
  const withType = (type: string) =>
    training
      .filter((r) => r.spans.some((s) => s.type === type))
      .slice(-AVOID)
      .map((r) => r.text);
  if (arm === 'weak-type') return weaknesses.weakest.map(({ type }) => ({ type, avoid: withType(type) }));
  if (arm === 'hard-negative')
    return weaknesses.confused.map(({ type, predicted }) => ({ type, confusedWith: predicted, avoid: withType(type) }));
  if (arm === 'entity-free')
    return [
      {
        entityFree: true,
        avoid: training
          .filter((r) => r.spans.length === 0)
          .slice(-AVOID)
          .map((r) => r.text),
      },
    ];
  return [];
}
