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
  const quota = skills.map((skill) => ({ skill, q: (k * groups.get(skill)!.weight) / total }));
  const share = new Map(quota.map((x) => [x.skill, Math.floor(x.q)]));
  let left = k - [...share.values()].reduce((a, b) => a + b, 0);
  const byRemainder = quota.slice().sort((a, b) => b.q - Math.floor(b.q) - (a.q - Math.floor(a.q)) || (a.skill < b.skill ? -1 : 1));
  for (const x of byRemainder) {
    if (left <= 0) break;
    share.set(x.skill, share.get(x.skill)! + 1);
    left--;
  }
  const out: number[] = [];
  for (const skill of skills) {
    // Array.prototype.sort is stable: equal margins keep candidate order.
    const members = groups.get(skill)!.members.slice().sort((a, b) => a.margin - b.margin);
    for (const c of members.slice(0, share.get(skill)!)) out.push(c.index);
  }
  return out;
}
