import { describe, expect, it } from 'vitest';
import { evaluate } from '../metrics/evaluate.js';
import { Rng } from '../util/random.js';
import { trainStudent } from './registry.js';
import { sharedDataset } from '../../test/fixtures/shared-datasets.js';

const goemotions = sharedDataset('goemotions');
const exists = goemotions.has('train.jsonl', 'validation.jsonl');
const read = (file: string) => goemotions.rows(file);

const labelsPerText = (sets: readonly (readonly string[])[]) => sets.reduce((s, l) => s + l.length, 0) / sets.length;

// A loop-sized multi-label training set (3,000 rows), scored on the validation split: the size at
// which per-label F1 cuts, fit on ~300 held-out rows, over-predict and swing.
describe.skipIf(!exists)(
  `multi-label decision on goemotions (${goemotions.needs('train.jsonl', 'validation.jsonl')})`,
  () => {
    it('the default (probability ≥ 0.5) predicts about as many labels per text as gold, with better exact match and micro-F1 than per-label F1 cuts', () => {
      const train = new Rng(1).sample(read('train.jsonl'), 3000);
      const val = read('validation.jsonl');
      const labels = [...new Set(read('train.jsonl').flatMap((r) => r.labels))].sort();
      const options = { labels, multiLabel: true, seed: 1 };
      const byProbability = trainStudent('hashed-linear', train, options, {});
      const byLabelF1 = trainStudent('hashed-linear', train, options, { multiLabelDecision: 'label-f1' });

      const gold = labelsPerText(val.map((r) => r.labels));
      const predicted = (s: typeof byProbability) =>
        labelsPerText(s.predictBatch(val.map((r) => r.text)).map((p) => p.labels));
      expect(Math.abs(predicted(byProbability) - gold)).toBeLessThan(0.25);
      expect(predicted(byLabelF1)).toBeGreaterThan(predicted(byProbability));

      const a = evaluate(byProbability, val);
      const b = evaluate(byLabelF1, val);
      expect(a.accuracy).toBeGreaterThan(b.accuracy + 0.05);
      expect(a.microF1!).toBeGreaterThanOrEqual(b.microF1! - 0.005);
    });
  },
);
