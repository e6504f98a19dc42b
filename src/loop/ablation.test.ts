import { describe, expect, it } from 'vitest';
import { MIN_MEASURED_ROWS, measureArmGains } from './ablation.js';
import { TrainingSet } from './training-set.js';
import type { Example } from '../data/example.js';
import { trainStudent } from '../student/registry.js';
import { TOPIC_LABELS, topicRows, topicTask } from '../../test/fixtures/topics.js';

const task = topicTask();
/** The same task with the student's feature pruning off: ablation then takes the round's student as the full side. */
const unprunedTask = {
  ...task,
  student: { ...task.student, params: { ...(task.student.params as object), keepFraction: 1 } },
} as typeof task;
const validation = topicRows(120, 2).map((r) => ({ text: `${r.text} v`, labels: [r.label] }));

/** Round 0 rows, then round 1 rows from the given arms: `wrong` arms get a label that is not theirs. */
function setWith(arms: { name: string; rows: number; wrong?: boolean }[]): TrainingSet {
  const set = new TrainingSet();
  for (const r of topicRows(40, 5))
    set.add({
      text: r.text,
      labels: [r.label],
      source: 'pool',
      round: 0,
      teacher: 't',
      attributes: { strategy: 'pool' },
    });
  let seed = 10;
  for (const arm of arms) {
    for (const r of topicRows(arm.rows, seed++)) {
      const label = arm.wrong ? TOPIC_LABELS[(TOPIC_LABELS.indexOf(r.label) + 1) % TOPIC_LABELS.length] : r.label;
      set.add({
        text: `${r.text} ${arm.name}`,
        labels: [label],
        source: 'generated',
        round: 1,
        teacher: 't',
        attributes: { strategy: arm.name },
      });
    }
  }
  return set;
}

function gains(
  set: TrainingSet,
  arms: string[],
  weightOf?: (e: Example) => number,
  passRows = true,
  t = task,
): Record<string, number> {
  const rows = set.rows(weightOf);
  const full = trainStudent('hashed-linear', rows, { labels: TOPIC_LABELS, multiLabel: false, seed: t.seed });
  const answers = Object.fromEntries(arms.map((a) => [a, 40]));
  return measureArmGains({
    task: t,
    set,
    round: 1,
    arms,
    answers,
    full,
    validation,
    rows: passRows ? rows : undefined,
  });
}

describe('measureArmGains (ablation)', () => {
  it('rows with right labels have a positive gain, rows with wrong labels a negative one', () => {
    const set = setWith([
      { name: 'good', rows: 40 },
      { name: 'junk', rows: 40, wrong: true },
    ]);
    const g = gains(set, ['good', 'junk']);
    expect(g.good).toBeGreaterThan(0);
    expect(g.junk).toBeLessThan(0);
  });

  it('leaves out an arm that added too few rows to measure, and does not let it shrink the others’ removal', () => {
    const set = setWith([
      { name: 'good', rows: 40 },
      { name: 'tiny', rows: MIN_MEASURED_ROWS - 1 },
    ]);
    const g = gains(set, ['good', 'tiny']);
    expect(Object.keys(g)).toEqual(['good']);
    expect(g.good).toBeGreaterThan(0);
  });

  it('retrains without an arm’s rows on the same loss weights as the full student, so the weights are not mistaken for the arm’s effect', () => {
    const set = setWith([
      { name: 'good', rows: 40 },
      { name: 'other', rows: 40 },
    ]);
    // Weights that skew the student toward one label (as a skill profile can): the full student is
    // worse on validation than an unweighted one, whatever rows it holds.
    const skewed = (e: Example) => (e.labels[0] === TOPIC_LABELS[0] ? 8 : 1);
    expect(gains(set, ['good', 'other'], skewed, true, unprunedTask).good).toBeGreaterThan(0);
    // The comparison this guards against: unweighted ablations against the weighted full student.
    expect(gains(set, ['good', 'other'], skewed, false, unprunedTask).good).toBeLessThan(0);
  });

  it('with pruning on, both sides are retrained unpruned: the round’s (pruned) student does not stand for the full side', () => {
    const set = setWith([
      { name: 'good', rows: 40 },
      { name: 'other', rows: 40 },
    ]);
    // A "round student" that is nothing like one trained on the set's rows: every label shifted.
    const shifted = set.rows().map((r) => ({
      ...r,
      labels: [TOPIC_LABELS[(TOPIC_LABELS.indexOf(r.labels[0]) + 1) % TOPIC_LABELS.length]],
    }));
    const bogus = trainStudent('hashed-linear', shifted, { labels: TOPIC_LABELS, multiLabel: false, seed: 3 });
    const run = (t: typeof task) =>
      measureArmGains({ task: t, set, round: 1, arms: ['good'], answers: { good: 40 }, full: bogus, validation });
    // The task prunes (the default): the full side is retrained, so the good rows' gain is measured.
    expect(run(task).good).toBeGreaterThan(0);
    // Pruning off: the given student is the full side, and a bad one makes the rows look harmful.
    expect(run(unprunedTask).good).toBeLessThan(0);
  });

  it('refuses training rows that do not line up with the set’s examples', () => {
    const set = setWith([{ name: 'good', rows: 40 }]);
    const full = trainStudent('hashed-linear', set.rows(), { labels: TOPIC_LABELS, multiLabel: false, seed: 3 });
    expect(() =>
      measureArmGains({
        task,
        set,
        round: 1,
        arms: ['good'],
        answers: { good: 40 },
        full,
        validation,
        rows: set.rows().slice(1),
      }),
    ).toThrow(/training rows/);
  });
});
