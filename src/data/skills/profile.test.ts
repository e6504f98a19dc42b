import { describe, expect, it } from 'vitest';
import type { Prediction, Student } from '../../student/types.js';
import { skillProfile, weakSkills, type SkillRow } from './profile.js';

/** A student that answers from a table, so every error is known in advance. */
function fixedStudent(answers: Record<string, string[]>, multiLabel = false): Student {
  const predict = (text: string): Prediction => ({ labels: answers[text], probs: new Float32Array(2), margin: 0 });
  return {
    kind: 'fixed',
    labels: ['a', 'b'],
    multiLabel,
    predict,
    predictBatch: (t) => t.map(predict),
    toBytes: () => new Uint8Array(),
  };
}

describe('skillProfile (hand-computed)', () => {
  // cluster a#0: t1 ok, t2 wrong, t3 ok, t4 wrong        → 2/4
  // cluster a#1: t5 ok, t6 ok                            → 2 rows, under minSupport 3
  // cluster b#0: t7 wrong, t8 wrong, t9 ok               → 2/3
  // tone=angry: t1, t2, t7                               → 2/3 on 3 rows
  // tone=calm:  t3, t4, t5, t6, t8, t9                   → 2/6
  const rows: SkillRow[] = [
    { text: 't1', labels: ['a'], attributes: { cluster: 'a#0', tone: 'angry' } },
    { text: 't2', labels: ['a'], attributes: { cluster: 'a#0', tone: 'angry' } },
    { text: 't3', labels: ['a'], attributes: { cluster: 'a#0', tone: 'calm' } },
    { text: 't4', labels: ['a'], attributes: { cluster: 'a#0', tone: 'calm' } },
    { text: 't5', labels: ['a'], attributes: { cluster: 'a#1', tone: 'calm' } },
    { text: 't6', labels: ['a'], attributes: { cluster: 'a#1', tone: 'calm' } },
    { text: 't7', labels: ['b'], attributes: { cluster: 'b#0', tone: 'angry' } },
    { text: 't8', labels: ['b'], attributes: { cluster: 'b#0', tone: 'calm' } },
    { text: 't9', labels: ['b'], attributes: { cluster: 'b#0', tone: 'calm' } },
    { text: 't10', labels: ['b'] },
  ];
  const student = fixedStudent({
    t1: ['a'],
    t2: ['b'],
    t3: ['a'],
    t4: ['b'],
    t5: ['a'],
    t6: ['a'],
    t7: ['a'],
    t8: ['a'],
    t9: ['b'],
    t10: ['a'],
  });

  it('error rate per attribute value, worst first, ties by support, small values left out', () => {
    const profile = skillProfile(student, rows, 3, { minSupport: 3 });
    expect(profile.round).toBe(3);
    expect(profile.entries).toEqual([
      { attribute: 'cluster', value: 'b#0', label: 'b', errorRate: 2 / 3, support: 3 },
      { attribute: 'tone', value: 'angry', errorRate: 2 / 3, support: 3 },
      { attribute: 'cluster', value: 'a#0', label: 'a', errorRate: 0.5, support: 4 },
      { attribute: 'tone', value: 'calm', errorRate: 2 / 6, support: 6 },
    ]);
  });

  it('weakSkills keeps the k worst with any error', () => {
    const profile = skillProfile(student, rows, 0, { minSupport: 2 });
    expect(profile.entries.at(-1)).toEqual({
      attribute: 'cluster',
      value: 'a#1',
      label: 'a',
      errorRate: 0,
      support: 2,
    });
    expect(weakSkills(profile, 10).map((e) => e.value)).toEqual(['b#0', 'angry', 'a#0', 'calm']);
    expect(weakSkills(profile, 1).map((e) => e.value)).toEqual(['b#0']);
  });

  it('multi-label: a row is wrong unless the whole label set matches', () => {
    const multi = fixedStudent({ x: ['a', 'b'], y: ['a'], z: [] }, true);
    const profile = skillProfile(
      multi,
      [
        { text: 'x', labels: ['b', 'a'], attributes: { tone: 'calm' } },
        { text: 'y', labels: ['a', 'b'], attributes: { tone: 'calm' } },
        { text: 'z', labels: [], attributes: { tone: 'calm' } },
      ],
      1,
      { minSupport: 1 },
    );
    expect(profile.entries).toEqual([{ attribute: 'tone', value: 'calm', errorRate: 1 / 3, support: 3 }]);
  });

  it('no rows with attributes: an empty profile', () => {
    expect(skillProfile(student, [{ text: 't10', labels: ['b'] }], 2)).toEqual({ round: 2, entries: [] });
  });
});
