import { describe, expect, it } from 'vitest';
import { attributeValueMetrics } from './attribute-values.js';
import { spanMetrics } from './spans.js';

const s = (start: number, end: number, type: string) => ({ start, end, type });

describe('spanMetrics', () => {
  it('scores exact span-and-type matches, micro and per type', () => {
    const gold = [[s(0, 3, 'person'), s(10, 15, 'city')], [s(0, 5, 'city')]];
    const pred = [[s(0, 3, 'person'), s(10, 14, 'city')], [s(0, 5, 'person')]];
    const m = spanMetrics(gold, pred, ['person', 'city', 'product']);
    expect(m.micro).toMatchObject({ tp: 1, predicted: 3, gold: 3 });
    expect(m.micro.precision).toBeCloseTo(1 / 3);
    expect(m.micro.recall).toBeCloseTo(1 / 3);
    expect(m.micro.f1).toBeCloseTo(1 / 3);
    expect(m.perType.person).toMatchObject({ tp: 1, predicted: 2, gold: 1, recall: 1, precision: 0.5 });
    expect(m.perType.city).toMatchObject({ tp: 0, predicted: 1, gold: 2, f1: 0 });
    // product has nothing on either side: listed, but not in the macro average.
    expect(m.perType.product).toMatchObject({ predicted: 0, gold: 0, f1: 0 });
    expect(m.macroF1).toBeCloseTo((2 / 3 + 0) / 2);
  });

  it('partial match: overlap with the same type counts, another type does not', () => {
    const gold = [[s(10, 15, 'city'), s(20, 25, 'person')]];
    const pred = [[s(10, 14, 'city'), s(20, 25, 'city')]];
    const m = spanMetrics(gold, pred);
    expect(m.micro.tp).toBe(0);
    expect(m.partial).toMatchObject({ tp: 1, predicted: 2, gold: 2, precision: 0.5, recall: 0.5 });
    expect(m.partialPerType.city.recall).toBe(1);
  });

  it('counts a duplicated prediction once, and handles empty input', () => {
    const m = spanMetrics([[s(0, 3, 'x')]], [[s(0, 3, 'x'), s(0, 3, 'x')]]);
    expect(m.micro).toMatchObject({ tp: 1, predicted: 1, precision: 1, recall: 1, f1: 1 });
    expect(spanMetrics([[]], [[]]).micro.f1).toBe(0);
    expect(() => spanMetrics([[]], [])).toThrow(RangeError);
  });
});

describe('attributeValueMetrics (ExtractGPT scoring)', () => {
  it('counts NN, NV, VN, VC and VW and scores them as ExtractGPT does', () => {
    const m = attributeValueMetrics([
      // VC (value among the gold ones, gold trimmed), NN, VW
      {
        category: 'Shoes',
        gold: { Brand: ['Crocs '], Material: [], Color: ['Navy'] },
        predicted: { Brand: 'Crocs', Color: 'navy' },
      },
      // VN, NV ("n/a" is no prediction), unscored extra attribute
      { category: 'Shoes', gold: { Brand: ['Ellie'], Size: [] }, predicted: { Brand: 'n/a', Size: '14', Heel: 'x' } },
    ]);
    // Material (only ever NN) is skipped as ExtractGPT skips it, so no NN reaches the totals.
    expect(m.micro.counts).toEqual({ nn: 0, nv: 1, vn: 1, vc: 1, vw: 1 });
    expect(m.micro.precision).toBeCloseTo(1 / 3); // vc / (nv + vc + vw)
    expect(m.micro.recall).toBeCloseTo(1 / 3); // vc / (vn + vc + vw)
    expect(Object.keys(m.perAttribute).sort()).toEqual(['Brand|Shoes', 'Color|Shoes', 'Size|Shoes']);
    expect(m.perAttribute['Brand|Shoes']).toMatchObject({ precision: 1, recall: 0.5 });
    // Material was only ever NN: not a pair that macro averages over.
    expect(m.macro.precision).toBeCloseTo((1 + 0 + 0) / 3);
  });

  it('keeps categories apart', () => {
    const m = attributeValueMetrics([
      { category: 'A', gold: { Brand: ['x'] }, predicted: { Brand: 'x' } },
      { category: 'B', gold: { Brand: ['y'] }, predicted: {} },
    ]);
    expect(m.perAttribute['Brand|A'].f1).toBe(1);
    expect(m.perAttribute['Brand|B'].f1).toBe(0);
    expect(m.macro.f1).toBeCloseTo(0.5);
    expect(m.micro.counts).toMatchObject({ vc: 1, vn: 1 });
  });
});
