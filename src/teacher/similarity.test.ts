import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLabeled } from '../data/read-labeled.js';
import { cosine, labelCentroids, mostSimilarLabels, textVector } from './similarity.js';

const BANKING = resolve('../shared/datasets/banking77/train.jsonl');

describe('similarity', () => {
  it('gives identical texts cosine 1 and unrelated ones about 0', () => {
    expect(cosine(textVector('refund my order'), textVector('Refund  my order'))).toBeCloseTo(1, 10);
    expect(cosine(textVector('refund'), textVector('xylophone'))).toBeLessThan(0.1);
  });

  it('ranks labels that share vocabulary as most similar', () => {
    const rows = [
      { text: 'card payment refund charged twice', labels: ['refund'] },
      { text: 'refund for a card charge', labels: ['refund'] },
      { text: 'card payment declined at checkout', labels: ['declined'] },
      { text: 'my card was declined', labels: ['declined'] },
      { text: 'parcel tracking number missing', labels: ['tracking'] },
      { text: 'where is my parcel', labels: ['tracking'] },
    ];
    const centroids = labelCentroids(rows);
    expect(mostSimilarLabels(centroids, 'refund', 1)[0].label).toBe('declined');
    expect(mostSimilarLabels(centroids, 'tracking', 2).map((s) => s.label)).toHaveLength(2);
    expect(mostSimilarLabels(centroids, 'absent')).toEqual([]);
  });

  it.skipIf(!existsSync(BANKING))(
    'finds the intents people confuse in banking77 (skipped: ../shared/datasets absent)',
    () => {
      const centroids = labelCentroids(readLabeled(BANKING).rows);
      expect(centroids.size).toBe(77);
      expect(mostSimilarLabels(centroids, 'Refund_not_showing_up', 1)[0].label).toBe('request_refund');
      expect(mostSimilarLabels(centroids, 'activate_my_card', 3).map((s) => s.label)).toContain('card_arrival');
    },
  );
});
