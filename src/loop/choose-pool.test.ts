import { describe, expect, it } from 'vitest';
import { choosePool } from './choose-pool.js';
import { SKILL_POOL_SHARE } from './skill-picks.js';
import { Rng } from '../util/random.js';
import { arrayPool } from '../read/text-pool.js';
import type { Prediction, Student } from '../student/types.js';

const labels = ['a', 'b'];
/** 100 texts; text i has margin i / 100, so plain margin sampling takes the lowest indices. */
const pool = Array.from({ length: 100 }, (_, i) => `text number ${i} about ${i % 2 ? 'apples' : 'pears'} and ${i}`);
const marginOf = new Map(pool.map((t, i) => [t, i / 100]));
const student: Student = {
  kind: 'fake',
  labels,
  multiLabel: false,
  predict: (t) => prediction(t),
  predictBatch: (texts) => texts.map(prediction),
  toBytes: () => new Uint8Array(),
};
function prediction(text: string): Prediction {
  return { labels: ['a'], probs: new Float32Array(2), margin: marginOf.get(text)! };
}

const base = { candidatePool: 5000, pool: arrayPool(pool), student, labels, rng: new Rng(1) };

describe('choosePool', () => {
  it('margin sampling takes the least sure texts', async () => {
    expect(await choosePool({ ...base, strategy: 'margin' }, 10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('with skill targets, a share of the picks goes to the weak skill however sure the student is there, the rest by the strategy', async () => {
    // Texts 90..99 (the surest) fall in the one weak skill.
    const skills = (texts: readonly string[]) =>
      texts.map((t) => (marginOf.get(t)! >= 0.9 ? { skill: 'a#3', weight: 2 } : { skill: 'b#0', weight: 0 }));
    for (const strategy of ['margin', 'closed-loop'] as const) {
      const picked = await choosePool({ ...base, strategy, skills }, 10);
      const targeted = Math.round(10 * SKILL_POOL_SHARE);
      expect(picked).toHaveLength(10);
      expect(new Set(picked).size).toBe(10);
      expect(picked.slice(0, targeted)).toEqual([90, 91, 92].slice(0, targeted));
      expect(picked.slice(targeted).every((i) => i < 90)).toBe(true);
    }
  });
});
