import type { RoundRecord } from './types.js';
import type { Acquired } from './acquire-round.js';
import type { ArmRecord } from './measure-arms.js';
import type { LabelNoiseRound } from './label-noise.js';
import type { Loop } from './setup.js';
import type { Trained } from './train-evaluate.js';

/** The round as the report and summary.json show it. */
export function roundRecord(
  loop: Loop,
  round: number,
  parts: { acquired: Acquired; trained: Trained; arms: ArmRecord; labelNoise?: LabelNoiseRound },
): RoundRecord {
  const { acquired, trained, arms, labelNoise } = parts;
  const { metrics, diagnosis, used } = trained;
  const { counts } = acquired;
  const summary = { n: metrics.n, accuracy: metrics.accuracy, macroF1: metrics.macroF1, microF1: metrics.microF1 };
  return {
    round,
    trainSize: loop.set.examples.length,
    answers: used.answers,
    dollars: used.dollars,
    added: {
      pool: counts.pool,
      generated: counts.generated,
      seed: round === 0 ? loop.task.seeds.length : 0,
      rejected: counts.rejected,
    },
    validation: summary,
    gold: loop.validation.split === 'gold' ? summary : undefined,
    weakest: diagnosis.weakest,
    confusedPairs: diagnosis.confusedPairs,
    arms,
    filters: acquired.admission.byFilter,
    skills: trained.profile?.entries.slice(0, 20),
    labelNoise,
    trainMs: trained.trainMs,
  };
}
