import { largestRemainder } from '../util/largest-remainder.js';

/**
 * Skill-targeted acquisition: a share of each round's pool picks goes to the skills (attribute
 * values, per-label clusters of texts with the dataset teacher) the student gets wrong on
 * validation, in proportion to how much of its error each carries, and within a skill to the
 * candidates it is least sure of. Margin sampling alone finds the student's boundary; this also
 * reaches regions it gets wrong with confidence, where margins are wide.
 */

/** One scored pool candidate. */
export interface SkillCandidate {
  /** Position in the available pool. */
  index: number;
  /** The student's top-two probability gap on it: lower is less sure. */
  margin: number;
  /** The skill the text falls in (its nearest cluster of all labels' clusters), '' when none. */
  skill: string;
  /** How much of the student's validation error that skill carries (0: none). See SkillTracker.poolTargets. */
  weight: number;
}

/** Share of a round's pool picks that go to weak skills; the rest follow the loop's pool strategy. */
export const SKILL_POOL_SHARE = 0.3;

/**
 * Up to k candidate indices shared among the weighted skills by largest remainder (ties: skill
 * name), each skill's share taken lowest margin first (ties: candidate order). Skills whose share
 * exceeds their candidates give fewer: the rest of the round fills those.
 */
export function pickBySkill(candidates: readonly SkillCandidate[], k: number): number[] {
  if (k <= 0) return [];
  const groups = new Map<string, { weight: number; members: SkillCandidate[] }>();
  for (const c of candidates) {
    if (!(c.weight > 0) || c.skill === '') continue;
    let g = groups.get(c.skill);
    if (!g) groups.set(c.skill, (g = { weight: c.weight, members: [] }));
    g.members.push(c);
  }
  const skills = [...groups.keys()].sort();
  const total = skills.reduce((s, key) => s + groups.get(key)!.weight, 0);
  if (total <= 0) return [];
  const share = largestRemainder(
    skills.map((skill) => (k * groups.get(skill)!.weight) / total),
    k,
  );
  const out: number[] = [];
  skills.forEach((skill, i) => {
    // Array.prototype.sort is stable: equal margins keep candidate order.
    const members = groups
      .get(skill)!
      .members.slice()
      .sort((a, b) => a.margin - b.margin);
    for (const c of members.slice(0, share[i])) out.push(c.index);
  });
  return out;
}
