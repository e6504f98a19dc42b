import type { RoundRecord } from './types.js';
import { measureArmGains } from './ablation.js';
import type { Acquired } from './acquire-round.js';
import type { Loop } from './setup.js';
import type { Trained } from './train-evaluate.js';

export type ArmRecord = NonNullable<RoundRecord['arms']>;

/**
 * Measure arms: what each arm spent and added, and (closed loop with the bandit, after round 0)
 * the gain its rows bought, measured by ablation and handed to the bandit for the next split.
 */
export function measureArms(loop: Loop, round: number, acquired: Acquired, trained: Trained): ArmRecord {
  const { task, priced } = loop;
  const { outputs, admission, armDollars } = acquired;
  const record: ArmRecord = {};
  for (const [name, o] of Object.entries(outputs))
    record[name] = {
      answers: o.answers,
      rows: admission.addedByArm[name] ?? 0,
      ...(priced ? { dollars: armDollars[name] ?? 0 } : {}),
    };
  if (!loop.closed || !task.data.bandit || round === 0) return record;
  const perAnswer = measureArmGains({
    task,
    set: loop.set,
    round,
    arms: Object.keys(outputs),
    answers: Object.fromEntries(Object.entries(outputs).map(([name, o]) => [name, o.answers])),
    full: trained.student,
    rows: trained.rows,
    validation: loop.validation.rows,
  });
  // Per answer, or per dollar with a price; recorded as the gain the arm's answers bought.
  const gains = loop.bandit.recordRound(
    Object.fromEntries(Object.entries(perAnswer).map(([name, value]) => [name, { ...record[name], perAnswer: value }])),
    priced,
  );
  for (const [name, gain] of Object.entries(gains)) record[name].gain = gain;
  return record;
}
