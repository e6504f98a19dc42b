import { describe, expect, it } from 'vitest';
import { MIN_PARALLEL_SCORING, scoreTexts } from './score-texts.js';
import { trainStudent } from '../student/registry.js';
import { Rng } from '../util/random.js';

const words = {
  money: ['refund', 'charge', 'card', 'payment', 'fee', 'price'],
  post: ['parcel', 'courier', 'tracking', 'delivery', 'address', 'box'],
};

function sentence(rng: Rng, topic: keyof typeof words, n: number): string {
  return Array.from({ length: n }, () => words[topic][rng.int(6)]).join(' ');
}

describe('scoreTexts', () => {
  it('gives the same margins and top labels on worker threads as on one thread, in order', async () => {
    const rng = new Rng(9);
    const rows = Array.from({ length: 200 }, (_, i) => {
      const topic = i % 2 ? 'money' : 'post';
      return { text: sentence(rng, topic, 4), labels: [topic] };
    });
    const student = trainStudent('hashed-linear', rows, { labels: ['money', 'post'], multiLabel: false, seed: 1 });
    // Mixed texts, so margins spread and any reordering between slices would show.
    const texts = Array.from(
      { length: MIN_PARALLEL_SCORING + 500 },
      (_, i) => `${sentence(rng, 'money', 1 + rng.int(3))} ${sentence(rng, 'post', 1 + rng.int(3))} ${i}`,
    );
    const one = await scoreTexts(student, texts, 1);
    const three = await scoreTexts(student, texts, 3);
    expect(three).toEqual(one);
    expect(new Set(one.map((s) => s.margin)).size).toBeGreaterThan(100);
    expect(new Set(one.map((s) => s.predicted))).toEqual(new Set(['money', 'post']));
  });
});
