import { describe, expect, it } from 'vitest';
import { SkillTracker } from './skills.js';
import { CLUSTER_ATTRIBUTE } from '../data/skills/index.js';
import type { Example } from '../data/example.js';
import type { Prediction, Student } from '../student/types.js';
import type { Teacher } from '../teacher/types.js';
import { textId } from '../util/hash.js';
import { TOPIC_LABELS, topicRows, topicTask } from '../../test/fixtures/topics.js';

const task = topicTask();
/** Not the dataset teacher, so the tracker clusters the validation rows itself. */
const teacher = { id: 'ollama:llama3', kind: 'llm' } as Teacher;
const validation = topicRows(160, 2).map((r) => ({ text: r.text, labels: [r.label] }));
const [weakLabel] = TOPIC_LABELS;

/** Right on every text except the validation rows of one label containing "the", which it calls the next label. */
function studentWrongOn(label: string): Student {
  const next = TOPIC_LABELS[(TOPIC_LABELS.indexOf(label) + 1) % TOPIC_LABELS.length];
  const gold = new Map(validation.map((r) => [r.text, r.labels[0]]));
  const predict = (text: string): Prediction => {
    const g = gold.get(text) ?? label;
    const wrong = g === label && / the /.test(` ${text} `);
    return { labels: [wrong ? next : g], probs: new Float32Array(TOPIC_LABELS.length), margin: 0 };
  };
  return {
    kind: 'fake',
    labels: TOPIC_LABELS,
    multiLabel: false,
    predict,
    predictBatch: (t) => t.map(predict),
    toBytes: () => new Uint8Array(),
  };
}

function examples(): Example[] {
  return topicRows(200, 9).map((r, i) => ({
    id: textId(`${r.text} ${i}`),
    text: `${r.text} ${i}`,
    labels: [r.label],
    source: 'pool' as const,
    round: 1,
    teacher: 't',
  }));
}

describe('SkillTracker weights', () => {
  it('weigh every row 1 before any weakness is known', () => {
    const tracker = new SkillTracker(task, teacher, validation);
    const weigh = tracker.weigher(examples());
    expect(examples().every((e) => weigh(e) === 1)).toBe(true);
  });

  it('move weight within a label toward its weak clusters, and keep each label’s total at its row count', () => {
    const tracker = new SkillTracker(task, teacher, validation);
    tracker.update(studentWrongOn(weakLabel), 1);
    const weak = tracker.weakSkills();
    expect(weak.length).toBeGreaterThan(0);
    expect(weak.every((s) => s.label === weakLabel)).toBe(true);

    const rows = examples();
    const weigh = tracker.weigher(rows);
    for (const label of TOPIC_LABELS) {
      const own = rows.filter((e) => e.labels[0] === label).map(weigh);
      expect(own.reduce((a, b) => a + b, 0)).toBeCloseTo(own.length, 9);
      if (label === weakLabel) {
        expect(Math.max(...own)).toBeGreaterThan(1);
        expect(Math.min(...own)).toBeLessThan(1);
      } else {
        expect(own.every((w) => w === 1)).toBe(true);
      }
    }
  });

  it('give no extra weight to rows the last student trained on and still gets wrong, and do to new rows it gets wrong', () => {
    const tracker = new SkillTracker(task, teacher, validation);
    tracker.update(studentWrongOn(weakLabel), 1);
    const rows = examples();
    const plain = tracker.weigher(rows);
    // The weak label's rows that gain weight; half of them are from before this round, half new.
    const boosted = rows.filter((e) => e.labels[0] === weakLabel && plain(e) > 1);
    expect(boosted.length).toBeGreaterThan(3);
    const doubted = new Set(boosted.map((e) => e.id));
    const roundOf = new Map(boosted.map((e, i) => [e.id, i % 2]));
    const mixed = rows.map((e) => (doubted.has(e.id) ? { ...e, round: roundOf.get(e.id)! } : e));
    // A last student (of round 0) that calls every boosted row something else.
    const other = TOPIC_LABELS[1];
    const called = new Map(mixed.map((e) => [e.text, doubted.has(e.id) ? other : e.labels[0]]));
    const last: Student = {
      ...studentWrongOn(weakLabel),
      predictBatch: (texts) =>
        texts.map((t) => ({
          labels: [called.get(t) ?? other],
          probs: new Float32Array(TOPIC_LABELS.length),
          margin: 0,
        })),
    };
    const weigh = tracker.weigher(mixed, { student: last, round: 0 });
    const before = mixed.filter((e) => doubted.has(e.id) && e.round === 0);
    const fresh = mixed.filter((e) => doubted.has(e.id) && e.round === 1);
    expect(before.length).toBeGreaterThan(0);
    expect(fresh.length).toBeGreaterThan(0);
    // Raw weight 1 like the weak label's other rows, so after scaling no more than any of them.
    const own = mixed.filter((e) => e.labels[0] === weakLabel);
    const floor = Math.min(...own.map(weigh));
    for (const e of before) expect(weigh(e)).toBeCloseTo(floor, 9);
    for (const e of fresh) expect(weigh(e)).toBeGreaterThan(floor);
    expect(own.map(weigh).reduce((a, b) => a + b, 0)).toBeCloseTo(own.length, 9);
  });
});

describe('SkillTracker pool targets', () => {
  it('weigh nothing before a profile exists', () => {
    const tracker = new SkillTracker(task, teacher, validation);
    const targets = tracker.poolTargets(validation.slice(0, 20).map((r) => r.text));
    expect(targets.every((t) => t.weight === 0 && t.skill !== '')).toBe(true);
  });

  it('weigh unlabeled texts by the errors of the cluster they fall in: only the weak label’s clusters weigh', () => {
    const tracker = new SkillTracker(task, teacher, validation);
    const profile = tracker.update(studentWrongOn(weakLabel), 1);
    const pool = topicRows(200, 5);
    const targets = tracker.poolTargets(pool.map((r) => r.text));
    const weighed = targets.filter((t) => t.weight > 0);
    expect(weighed.length).toBeGreaterThan(0);
    expect(weighed.every((t) => t.skill.startsWith(`${weakLabel}#`))).toBe(true);
    // Each weight is its cluster's validation errors in the profile this round measured (every
    // cluster with an error, not only the ten worst that weakSkills keeps).
    const clusters = new Map(
      profile.entries.filter((e) => e.attribute === CLUSTER_ATTRIBUTE).map((e) => [e.value, e] as const),
    );
    for (const t of weighed) {
      const e = clusters.get(t.skill);
      expect(e, `profile entry for ${t.skill}`).toBeDefined();
      expect(e!.errorRate).toBeGreaterThan(0);
      expect(t.weight).toBe(Math.round(e!.errorRate * e!.support));
    }
    // Mostly texts of the weak label itself: the pool text's label is unknown, its nearest cluster is not.
    const own = pool.filter((_, i) => targets[i].weight > 0 && pool[i].label === weakLabel).length;
    expect(own / weighed.length).toBeGreaterThan(0.8);
  });
});
