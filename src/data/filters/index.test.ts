import { describe, expect, it } from 'vitest';
import type { LabelInput, LabelResult, Teacher } from '../../teacher/types.js';
import {
  applyFilters,
  buildFilters,
  type DedupFilter,
  LEAKAGE_THRESHOLD,
  type LeakageFilter,
  SelfConsistencyFilter,
  type VerifyFilter,
} from './index.js';
import { candidate, filterContext, filterTask } from './filter.fixture.js';

describe('buildFilters', () => {
  it('runs only dedup and the leakage guard by default, dedup first', () => {
    const filters = buildFilters(filterTask().data);
    expect(filters.map((f) => f.name)).toEqual(['dedup', 'leakage']);
    expect((filters[0] as DedupFilter).threshold).toBe(0.9);
    expect((filters[1] as LeakageFilter).threshold).toBe(LEAKAGE_THRESHOLD);
  });

  it('puts the filters that spend answers after the free ones, each as configured', () => {
    const filters = buildFilters(
      filterTask({ verify: 'relabel', selfConsistency: 3, minAgreement: 0.7, dedupThreshold: 0.5 }).data,
    );
    expect(filters.map((f) => f.name)).toEqual(['dedup', 'leakage', 'verify', 'self-consistency']);
    expect((filters[1] as LeakageFilter).threshold).toBe(0.5);
    expect((filters[2] as VerifyFilter).mode).toBe('relabel');
    expect(filters[3]).toMatchObject({ samples: 3, minAgreement: 0.7 });
    expect(filters[3]).toBeInstanceOf(SelfConsistencyFilter);
  });

  it('leaves out the leakage guard when it is switched off', () => {
    expect(buildFilters(filterTask({ leakageGuard: false }).data).map((f) => f.name)).toEqual(['dedup']);
  });

  it('builds fresh filters each time: their indexes belong to one run', () => {
    const data = filterTask().data;
    expect(buildFilters(data)[0]).not.toBe(buildFilters(data)[0]);
  });
});

describe('applyFilters', () => {
  /** Disagrees with every label it is asked to confirm, and counts answers. */
  function contrarian(): Teacher & { asked: number } {
    const t = {
      id: 'contrarian',
      kind: 'llm' as const,
      concurrency: 1,
      asked: 0,
      async label(inputs: LabelInput[]): Promise<LabelResult[]> {
        t.asked += inputs.length;
        return inputs.map((i) => ({ id: i.id, ok: true, labels: ['other'] }));
      },
      generate: () => Promise.reject(new Error('not used')),
    };
    return t;
  }

  it('runs each filter on what the last kept and shares the answers among them', async () => {
    const teacher = contrarian();
    const rows = [
      candidate('Where is my refund for the cancelled order?', 'billing', 'pool'),
      candidate('The export button does nothing at all.', 'bug'),
      candidate('The export button does nothing at all!', 'bug'),
      candidate('Do you have an office in Lisbon?', 'billing'),
      candidate('Search shows results from the wrong account.', 'bug', 'pool'),
      candidate('My invoice lists a plan I never bought.', 'billing', 'pool'),
    ];
    const filters = buildFilters(filterTask({ verify: 'drop', selfConsistency: 2 }).data);
    const result = await applyFilters(
      filters,
      rows,
      filterContext(teacher, { evalTexts: ['Do you have an office in Lisbon??'], answers: 3 }),
    );

    expect(result.steps).toEqual([
      { filter: 'dedup', input: 6, removed: 1, relabeled: 0, answers: 0, unchecked: 0 },
      { filter: 'leakage', input: 5, removed: 1, relabeled: 0, answers: 0, unchecked: 0 },
      { filter: 'verify', input: 4, removed: 1, relabeled: 0, answers: 1, unchecked: 0 },
      // Two answers left for three pool rows at one extra sample each.
      { filter: 'self-consistency', input: 3, removed: 0, relabeled: 0, answers: 2, unchecked: 1 },
    ]);
    expect(teacher.asked).toBe(3);
    expect(result.answers).toBe(3);
    expect(result.removed.map((r) => r.filter)).toEqual(['dedup', 'leakage', 'verify']);
    expect(result.kept.map((r) => [r.text, r.confidence])).toEqual([
      [rows[0].text, 0.5],
      [rows[4].text, 0.5],
      [rows[5].text, undefined],
    ]);
  });

  it('stops early once nothing is left', async () => {
    const teacher = contrarian();
    const result = await applyFilters(
      buildFilters(filterTask({ verify: 'drop' }).data),
      [candidate('Lisbon office?', 'other')],
      filterContext(teacher, { evalTexts: ['lisbon office'] }),
    );
    expect(result.kept).toEqual([]);
    expect(result.steps.map((s) => s.filter)).toEqual(['dedup', 'leakage']);
    expect(teacher.asked).toBe(0);
  });

  it('refuses a filter that overspends', async () => {
    const greedy = { name: 'greedy', apply: async () => ({ kept: [], removed: [], answers: 5 }) };
    await expect(
      applyFilters([greedy], [candidate('x', 'other')], filterContext(contrarian(), { answers: 4 })),
    ).rejects.toThrow(/greedy spent 5 answers but was given 4/);
  });
});
