import { describe, expect, it } from 'vitest';
import { pickBySkill, type SkillCandidate } from './skill-picks.js';

const c = (index: number, skill: string, weight: number, margin: number): SkillCandidate => ({
  index,
  skill,
  weight,
  margin,
});

describe('pickBySkill', () => {
  it('shares the picks among weak skills in proportion to their weight, least sure first within each', () => {
    const candidates = [
      ...[0.9, 0.1, 0.5, 0.3, 0.7, 0.2].map((m, i) => c(i, 'a#0', 3, m)),
      ...[0.4, 0.05, 0.6].map((m, i) => c(10 + i, 'b#1', 1, m)),
      ...[0.0, 0.01].map((m, i) => c(20 + i, 'c#2', 0, m)), // not weak: never picked
    ];
    expect(pickBySkill(candidates, 4)).toEqual([1, 5, 3, 11]);
  });

  it('gives the leftover picks by largest remainder, and never more than a skill has', () => {
    const candidates = [c(0, 'a#0', 1, 0.5), c(1, 'b#0', 1, 0.5), c(2, 'b#0', 1, 0.1), c(3, 'c#0', 1, 0.2)];
    // 2 picks over three equal skills: remainders tie, names decide (a, b).
    expect(pickBySkill(candidates, 2)).toEqual([0, 2]);
    // 9 picks: 3 each, but there are only 4 candidates.
    expect(pickBySkill(candidates, 9).sort()).toEqual([0, 1, 2, 3]);
  });

  it('picks nothing when no candidate lies in a weak skill, or k is 0', () => {
    expect(pickBySkill([c(0, 'a#0', 0, 0.1), c(1, '', 5, 0.1)], 3)).toEqual([]);
    expect(pickBySkill([c(0, 'a#0', 2, 0.1)], 0)).toEqual([]);
  });
});
