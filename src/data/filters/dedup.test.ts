import { afterEach, describe, expect, it } from 'vitest';
import { fakeTeacher } from '../../../test/fake-llm/index.js';
import type { CandidateRow } from '../candidate.js';
import { DedupFilter } from './dedup.js';
import { candidate, filterContext, filterFixture, knownRows } from './filter.fixture.js';
import type { Teacher } from '../../teacher/types.js';

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

/** A generator stuck on one example: each answer is the same complaint, give or take a word or a "!". */
const STUCK = [
  'I was charged twice for my subscription this month, please refund one.',
  'I was charged twice for my subscription this month, please refund one!',
  'i was charged twice for my subscription this month - please refund one',
  'Why is there a charge on my card for a plan I cancelled last week?',
];

async function repeatingTeacher() {
  let calls = 0;
  const fx = await filterFixture(
    fakeTeacher({
      answer: () => 'billing',
      generate: (_label, n) => {
        const r = calls++;
        return Array.from({ length: n }, (_, i) => STUCK[(r + i) % STUCK.length]);
      },
    }),
  );
  stop = fx.stop;
  return fx;
}

async function generated(teacher: Teacher, requests: number, n: number): Promise<CandidateRow[]> {
  const rows: CandidateRow[] = [];
  for (let r = 0; r < requests; r++) {
    const { texts } = await teacher.generate({ label: 'billing', n });
    rows.push(...texts.map((t) => candidate(t, 'billing')));
  }
  return rows;
}

describe('dedup filter', () => {
  it('keeps one of each example a repeating teacher writes over and over, naming what each copy repeats', async () => {
    const fx = await repeatingTeacher();
    const rows = await generated(fx.teacher, 3, 4);
    expect(rows).toHaveLength(12);
    const result = await new DedupFilter(0.9).apply(rows, fx.ctx());
    expect(result.kept.map((r) => r.text)).toEqual([STUCK[0], STUCK[3]]);
    expect(result.removed).toHaveLength(10);
    expect(result.answers).toBe(0);
    for (const r of result.removed) {
      expect(r.filter).toBe('dedup');
      expect(r.reason).toMatch(/^near-duplicate \(similarity (1\.00|0\.9\d)\) of an earlier row in this batch: "/);
    }
    expect(result.removed[0].reason).toContain(JSON.stringify(`${STUCK[0].slice(0, 59)}…`));
    expect(result.removed.find((r) => r.row.text === STUCK[3])!.reason).toContain('"Why is there a charge on my card');
  });

  it('drops a candidate that repeats a training row or a seed, and keeps a genuinely new one', async () => {
    const fx = await repeatingTeacher();
    const known = knownRows(
      [{ text: STUCK[0], labels: ['billing'] }],
      [{ text: 'Why is there a charge on my card for a plan I cancelled last week?!', labels: ['billing'] }],
    );
    const rows = [
      ...(await generated(fx.teacher, 1, 4)),
      candidate('The export button does nothing when I click it.', 'bug'),
    ];
    const result = await new DedupFilter(0.9).apply(rows, fx.ctx({ known }));
    expect(result.kept.map((r) => r.text)).toEqual(['The export button does nothing when I click it.']);
    expect(result.removed.map((r) => r.reason)).toEqual([
      expect.stringMatching(/^near-duplicate \(similarity 1\.00\) of a training row: "I was charged twice/),
      expect.stringMatching(/of a training row: "I was charged twice/),
      expect.stringMatching(/of a training row: "I was charged twice/),
      expect.stringMatching(/of a training row: "Why is there a charge on my card for a plan I cancelled las…"$/),
    ]);
  });

  it('remembers training rows across rounds as they grow, and starts over when they do not extend what it saw', async () => {
    const teacher = {} as Teacher;
    const filter = new DedupFilter(0.9);
    const training: { text: string; labels: string[] }[] = [
      { text: 'Where is your office in Lisbon?', labels: ['other'] },
    ];
    const round1 = await filter.apply(
      [candidate(STUCK[0], 'billing')],
      filterContext(teacher, { known: knownRows(training) }),
    );
    expect(round1.kept).toHaveLength(1);
    // The loop adds the kept row to training; the next round's repeat of it is caught.
    training.push({ text: STUCK[0], labels: ['billing'] });
    const round2 = await filter.apply(
      [candidate(STUCK[1], 'billing'), candidate('Where is your office in Lisbon??', 'other')],
      filterContext(teacher, { known: knownRows(training.slice()) }),
    );
    expect(round2.kept).toHaveLength(0);
    // A different training set (not an extension): rows it no longer holds are no longer duplicates.
    const round3 = await filter.apply(
      [candidate(STUCK[1], 'billing')],
      filterContext(teacher, { known: knownRows([{ text: 'Is there a student discount?', labels: ['other'] }]) }),
    );
    expect(round3.kept).toHaveLength(1);
  });

  it('at threshold 1 drops only copies that differ in case, punctuation or spacing', async () => {
    const rows = [
      candidate(STUCK[0], 'billing'),
      candidate(STUCK[2], 'billing'),
      candidate(STUCK[0].replace('one.', 'one of them.'), 'billing'),
    ];
    const result = await new DedupFilter(1).apply(rows, filterContext({} as Teacher));
    expect(result.kept.map((r) => r.text)).toEqual([STUCK[0], rows[2].text]);
  });
});
