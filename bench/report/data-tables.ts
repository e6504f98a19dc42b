import type { DatasetResult, SkillTargetingScore } from '../lib/types.js';
import { dash, int, mdTable, partCommit, pct, points, ratio, shortCommit } from './format.js';

function labelNoiseTable(ds: DatasetResult[]): string {
  const rows = ds.filter((d) => d.labelNoise);
  if (rows.length === 0) return '_No label-noise results in this run._';
  return mdTable(
    [
      'dataset',
      'commit',
      'wrong / train',
      'flagged',
      'recall',
      'precision',
      'clean',
      'noisy',
      'repaired',
      'dropped',
      'repaired − noisy (pts)',
    ],
    rows.map((d) => {
      const n = d.labelNoise!;
      return [
        d.dataset,
        `\`${shortCommit(partCommit(d, 'labelNoise'))}\``,
        `${int(n.wrong)} / ${int(d.n_train)}`,
        int(n.flagged),
        pct(n.recall),
        pct(n.precision),
        pct(n.accuracyClean),
        pct(n.accuracyNoisy),
        pct(n.accuracyRepaired),
        pct(n.accuracyDropped),
        points(100 * (n.accuracyRepaired - n.accuracyNoisy)),
      ];
    }),
  );
}

function skillsTable(ds: DatasetResult[]): string {
  const rows = ds.filter((d) => d.skills);
  if (rows.length === 0) return '_No skill-targeting results in this run._';
  const seeds = (v: (number | null)[]) => v.map((x) => (x === null ? 'never' : `${x}`)).join(', ');
  const cell = (v: number | null, per: (number | null)[]) => `${v === null ? 'not reached' : int(v)} (${seeds(per)})`;
  const ratioOf = (s: SkillTargetingScore) => (s.ratio === null ? dash : ratio(s.ratio));
  const between = (s: SkillTargetingScore) => {
    const i = s.interpolated;
    if (!i) return 'not measured (older run)';
    const side = (v: number | null, per: (number | null)[]) =>
      cell(
        v === null ? null : Math.round(v),
        per.map((x) => (x === null ? null : Math.round(x))),
      );
    return `${side(i.skills, i.perSeed.skills)} / ${side(i.plain, i.perSeed.plain)}: ${i.ratio === null ? dash : ratio(i.ratio)}`;
  };
  return mdTable(
    [
      'dataset',
      'held-out rows',
      '95% target',
      'budget',
      'with skill profile',
      'without',
      'with / without',
      'between rounds: with / without',
      'final accuracy with / without',
      "on the loop's own half: with / without",
    ],
    rows.map((d) => {
      const s = d.skills!;
      const seen = s.seen
        ? `${cell(s.seen.answersTo95.skills, s.seen.perSeed.skills)} / ${cell(s.seen.answersTo95.plain, s.seen.perSeed.plain)}: ${ratioOf(s.seen)}`
        : 'not split (older run)';
      return [
        d.dataset,
        s.rows ? int(s.rows) : dash,
        pct(s.target),
        int(s.budget),
        cell(s.answersTo95.skills, s.perSeed.skills),
        cell(s.answersTo95.plain, s.perSeed.plain),
        ratioOf(s),
        between(s),
        `${pct(s.finalAccuracy.skills)} / ${pct(s.finalAccuracy.plain)}`,
        seen,
      ];
    }),
  );
}

/** The label-noise and skill-targeting sections of docs/benchmarks.md. */
export function dataSections(ds: DatasetResult[]): string[] {
  return [
    '## Label noise',
    '',
    'The train split labeled by the text-dependent 15%-noise teacher (see Noisy teacher), then checked by confident learning ' +
      '(5-fold out-of-fold student probabilities, per-class thresholds, prune by noise rate). Recall and precision of the flagged rows against the ' +
      "dataset's own labels; then student test accuracy (%) trained on the clean labels, the noisy ones, the noisy ones with flagged rows relabeled by a second noisy teacher (never the dataset's labels), and with flagged rows dropped.",
    '',
    labelNoiseTable(ds),
    '',
    '## Skill targeting',
    '',
    "Closed loop with the skill profile (validation error per cluster of texts) steering acquisition (`data.skillProfile: steer` with its default `skillSteer: [pool]`: 30% of each round's pool picks go to the clusters with the most validation errors), and without (`report`); same strategies (weak-label, hard-negative, attribute), same budget. " +
      "The test split is cut in two halves (fixed seed): the loop validates and builds its skill profile on one (its eval file), and every round's student is scored on the other, which the loop never sees. " +
      "Teacher answers until the student first reaches 95% of the full-data student's accuracy on the held-out half: median over seeds (per seed in brackets). " +
      'Rounds come every 200 answers, so those counts move in steps of 200; "between rounds" reads the same crossing off the line between the last round below the target and the first at or over it. ' +
      'The last column is the same count on the half the loop validated on, which flatters anything aimed at its errors.',
    '',
    skillsTable(ds),
    '',
  ];
}
