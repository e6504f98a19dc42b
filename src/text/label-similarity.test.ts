import { describe, expect, it } from 'vitest';
import { sharedDataset } from '../../test/fixtures/shared-datasets.js';
import { labelCentroids, mostSimilarLabels } from './label-similarity.js';

const banking77 = sharedDataset('banking77');

describe('label similarity', () => {
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

  it('counts a multi-label row towards each of its labels', () => {
    const centroids = labelCentroids([
      { text: 'refund my card charge', labels: ['refund', 'card'] },
      { text: 'where is my parcel', labels: ['tracking'] },
    ]);
    expect([...centroids.keys()].sort()).toEqual(['card', 'refund', 'tracking']);
    expect(mostSimilarLabels(centroids, 'refund', 1)[0]).toEqual({ label: 'card', similarity: expect.closeTo(1, 5) });
  });

  it.skipIf(!banking77.has('train.jsonl'))(
    `finds the intents people confuse in banking77 (${banking77.needs('train.jsonl')})`,
    () => {
      const centroids = labelCentroids(banking77.rows('train.jsonl'));
      expect(centroids.size).toBe(77);
      expect(mostSimilarLabels(centroids, 'Refund_not_showing_up', 1)[0].label).toBe('request_refund');
      expect(mostSimilarLabels(centroids, 'activate_my_card', 3).map((s) => s.label)).toContain('card_arrival');
    },
  );
});
