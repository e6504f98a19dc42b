import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeTeacher } from '../../../test/fake-llm/index.js';
import type { Teacher } from '../../teacher/types.js';
import { NearDupIndex } from '../near-dup/near-dup-index.js';
import { candidate, filterContext, filterFixture } from './filter.fixture.js';
import { LeakageFilter } from './leakage.js';

const EVAL = [
  'My card payment was declined at the supermarket even though I have money.',
  'The mobile app logs me out every time I switch to another screen.',
  'Can you tell me whether your Lisbon office is open on Saturdays?',
];

/** What a teacher that has seen the benchmark writes: its items, lightly disguised. */
const MEMORIZED = [
  EVAL[0],
  EVAL[1].toUpperCase(),
  'Can you tell me, whether your Lisbon office is open on Saturdays!!',
  EVAL[0].replace('supermarket', 'pharmacy'),
  EVAL[1].replace('mobile', 'desktop'),
  EVAL[2].replace('Lisbon', 'Porto'),
];
const ORIGINAL = [
  'My card was declined online but it works fine in shops.',
  'The app crashes when I open the settings screen.',
  'Is the office open on public holidays?',
  'My card payment was declined at the restaurant.',
];

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
  vi.restoreAllMocks();
});

describe('leakage filter', () => {
  it('at a strict 0.6 threshold, catches evaluation texts a generator copies, also with case, punctuation or one word changed', async () => {
    const fx = await filterFixture(fakeTeacher({ answer: () => 'other', generate: () => [...MEMORIZED, ...ORIGINAL] }));
    stop = fx.stop;
    const { texts } = await fx.teacher.generate({ label: 'other', n: 10 });
    expect(texts).toHaveLength(10);
    const filter = new LeakageFilter(0.6);
    const result = await filter.apply(
      texts.map((t) => candidate(t, 'other')),
      fx.ctx({ evalTexts: EVAL }),
    );

    expect(result.kept.map((r) => r.text)).toEqual(ORIGINAL);
    expect(result.removed.map((r) => r.row.text)).toEqual(MEMORIZED);
    expect(result.removed.map((r) => r.reason)).toEqual([
      `near-duplicate (similarity 1.00) of an evaluation text: "My card payment was declined at the supermarket even though…"`,
      `near-duplicate (similarity 1.00) of an evaluation text: "The mobile app logs me out every time I switch to another s…"`,
      `near-duplicate (similarity 1.00) of an evaluation text: "Can you tell me whether your Lisbon office is open on Satur…"`,
      expect.stringMatching(/^near-duplicate \(similarity 0\.6\d\) of an evaluation text: "My card payment/),
      expect.stringMatching(/^near-duplicate \(similarity 0\.7\d\) of an evaluation text: "The mobile app/),
      expect.stringMatching(/^near-duplicate \(similarity 0\.7\d\) of an evaluation text: "Can you tell me/),
    ]);
    expect(result.removed.every((r) => r.filter === 'leakage')).toBe(true);
    expect(result).toMatchObject({ answers: 0 });
    expect(filter.caught).toBe(6);
  });

  it('at the default threshold, catches exact and case/spacing copies but keeps one-word paraphrases of short texts', async () => {
    const filter = new LeakageFilter();
    const ctx = filterContext({} as Teacher, { evalTexts: EVAL });
    const result = await filter.apply(
      [
        candidate(EVAL[1], 'bug'),
        candidate(`  ${EVAL[0].toUpperCase()} `, 'billing'),
        candidate(MEMORIZED[2], 'other'),
        ...MEMORIZED.slice(3).map((t) => candidate(t, 'other')),
        ...ORIGINAL.map((t) => candidate(t, 'other')),
      ],
      ctx,
    );
    expect(result.removed.map((r) => r.row.text)).toEqual([EVAL[1], `  ${EVAL[0].toUpperCase()} `, MEMORIZED[2]]);
    expect(result.kept.map((r) => r.text)).toEqual([...MEMORIZED.slice(3), ...ORIGINAL]);
  });

  it('catches pool rows copied from the evaluation set, and counts catches across rounds', async () => {
    const filter = new LeakageFilter();
    const ctx = filterContext({} as Teacher, { evalTexts: EVAL });
    const first = await filter.apply(
      [candidate(EVAL[2], 'other', 'pool'), candidate(ORIGINAL[2], 'other', 'pool')],
      ctx,
    );
    expect(first.removed.map((r) => r.row.text)).toEqual([EVAL[2]]);
    const second = await filter.apply([candidate(`  ${EVAL[0].toLowerCase()}  `, 'billing', 'pool')], {
      ...ctx,
      round: 2,
    });
    expect(second.removed).toHaveLength(1);
    expect(filter.caught).toBe(2);
  });

  it('indexes an evaluation set once, however many rounds pass it', async () => {
    const add = vi.spyOn(NearDupIndex.prototype, 'add');
    const filter = new LeakageFilter();
    const ctx = filterContext({} as Teacher, { evalTexts: EVAL });
    for (let round = 1; round <= 3; round++) await filter.apply([candidate(ORIGINAL[round], 'bug')], { ...ctx, round });
    expect(add).toHaveBeenCalledTimes(EVAL.length);
    // A different evaluation set is a different index.
    await filter.apply([candidate(ORIGINAL[0], 'bug')], { ...ctx, evalTexts: EVAL.slice(0, 1) });
    expect(add).toHaveBeenCalledTimes(EVAL.length + 1);
  });

  it('passes everything when there is nothing to evaluate on', async () => {
    const result = await new LeakageFilter().apply([candidate(EVAL[0], 'billing')], filterContext({} as Teacher));
    expect(result.kept).toHaveLength(1);
  });
});
