import type { BenchResults, DatasetResult } from '../lib/types.js';
import { DATA_TARGETS } from './data-targets.js';

/** `inconclusive`: the numbers exist but cannot decide it (e.g. neither side reached the target in the budget). */
export type Status = 'met' | 'missed' | 'inconclusive' | 'no data';

export interface TargetCheck {
  target: string;
  dataset: string;
  /** The measured value, formatted, against the goal. */
  value: string;
  goal: string;
  status: Status;
}

export interface Target {
  name: string;
  /** Datasets it applies to; all when absent. */
  only?: string[];
  check(d: DatasetResult): Omit<TargetCheck, 'target' | 'dataset'>;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const x2 = (x: number) => `${x.toFixed(2)}×`;
const none = (goal: string) => ({ value: '–', goal, status: 'no data' as const });
const verdict = (ok: boolean): Status => (ok ? 'met' : 'missed');

const TARGETS: Target[] = [
  {
    name: 'accuracy ≥ best scikit-learn − 1 point',
    check: (d) => {
      const best = Math.max(d.sklearn_svm?.accuracy ?? -1, d.sklearn_lr?.accuracy ?? -1);
      if (!d.student || best < 0) return none('best sklearn − 1 pt');
      return {
        value: pct(d.student.accuracy),
        goal: `≥ ${pct(best - 0.01)}`,
        status: verdict(d.student.accuracy >= best - 0.01),
      };
    },
  },
  {
    name: 'training time ≤ fastText (ratio ≤ 1.0)',
    check: (d) => {
      const r = d.ratios.fasttext?.trainSeconds;
      return r === undefined ? none('≤ 1.00×') : { value: x2(r), goal: '≤ 1.00×', status: verdict(r <= 1) };
    },
  },
  {
    name: 'model ≤ 1/10 of fastText file size',
    check: (d) => {
      const r = d.ratios.fasttext?.modelBytes;
      return r === undefined
        ? none('≤ 0.10×')
        : { value: `${r.toFixed(4)}×`, goal: '≤ 0.10×', status: verdict(r <= 0.1) };
    },
  },
  {
    name: 'single-thread throughput ≥ fastText',
    check: (d) => {
      const r = d.ratios.fasttext?.predictPerSecond;
      return r === undefined || r === null
        ? none('≥ 1.00×')
        : { value: x2(r), goal: '≥ 1.00×', status: verdict(r >= 1) };
    },
  },
  {
    name: 'loop answers to 95% ≤ half of random',
    only: ['banking77', 'trec', 'emotion'],
    check: (d) => {
      if (!d.loop) return none('≤ 0.5× random');
      const { loop, random } = d.loop.answersTo95;
      if (loop === null)
        return {
          value: `loop never reached it in ${d.loop.budget}`,
          goal: '≤ 0.5× random',
          status: random === null ? 'inconclusive' : 'missed',
        };
      // Random not reaching the target within the budget means it needs more than the budget.
      if (random === null)
        return {
          value: `${loop} vs random > ${d.loop.budget}`,
          goal: '≤ 0.5× random',
          status: loop <= d.loop.budget / 2 ? 'met' : 'inconclusive',
        };
      return {
        value: `${loop} vs ${random} (${x2(loop / random)})`,
        goal: '≤ 0.50×',
        status: verdict(loop <= random / 2),
      };
    },
  },
  {
    name: 'with a 15%-noise teacher, student ≥ teacher',
    check: (d) => {
      if (!d.noisy) return none('student ≥ teacher');
      const { studentAccuracy: s, teacherAccuracy: t } = d.noisy;
      return { value: `${pct(s)} vs ${pct(t)}`, goal: 'student ≥ teacher', status: verdict(s >= t) };
    },
  },
];

export function checkTargets(results: BenchResults): TargetCheck[] {
  const out: TargetCheck[] = [];
  for (const t of [...TARGETS, ...DATA_TARGETS]) {
    for (const d of results.datasets) {
      if (t.only && !t.only.includes(d.dataset)) continue;
      out.push({ target: t.name, dataset: d.dataset, ...t.check(d) });
    }
  }
  return out;
}
