import { afterEach, describe, expect, it } from 'vitest';
import { batchTexts, fakeTeacher } from '../../../test/fake-llm/index.js';
import type { LlmFixture } from '../../../test/fake-llm/llm-fixture.js';
import type { TeacherTaskContext } from '../../teacher/types.js';
import type { CandidateRow } from '../candidate.js';
import { candidate, filterFixture } from './filter.fixture.js';
import type { FilterContext } from './types.js';
import { VerifyFilter } from './verify.js';

/** What the labeler says of each text. The generator, asked for billing, also writes the last two. */
const TRUTH: Record<string, string | string[]> = {
  'I was charged twice for my May invoice.': 'billing',
  'The app crashes when I open the invoice page.': 'bug',
  'Please refund the duplicate charge on my card.': 'billing',
  'Where is your office in Lisbon?': 'other',
};
const WRITTEN = Object.keys(TRUTH);
const POOL_ROW = candidate('My card was charged but the order never arrived.', 'billing', 'pool');

type Fixture = LlmFixture & { ctx: (overrides?: Partial<FilterContext>) => FilterContext };
let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.stop();
  fx = undefined;
});

async function offLabelGenerator(
  labeler: (text: string) => string | string[] | undefined = (t) => TRUTH[t],
  task?: TeacherTaskContext,
) {
  fx = await filterFixture(fakeTeacher({ answer: labeler, generate: () => WRITTEN }), { task });
  const { texts } = await fx.teacher.generate({ label: 'billing', n: WRITTEN.length });
  const rows: CandidateRow[] = [
    POOL_ROW,
    ...texts.map((t) => ({ ...candidate(t, 'billing'), attributes: { strategy: 'weak-label' } })),
  ];
  return { fx, rows };
}

/** Texts the teacher was asked to label, per labeling request. */
function labeled(f: Fixture): string[][] {
  return f.fake.requests.flatMap((r) => {
    const body = r.body as any;
    const texts = batchTexts({ messages: body.messages } as any);
    return texts ? [texts] : [];
  });
}

describe('verify filter', () => {
  it('drop: removes generated rows the labeler disagrees with, asking once per generated row and never for pool rows', async () => {
    const { fx, rows } = await offLabelGenerator();
    const before = fx.gate.used().answers;
    const result = await new VerifyFilter('drop').apply(rows, fx.ctx());

    expect(labeled(fx)).toEqual([WRITTEN]);
    expect(result.kept.map((r) => r.text)).toEqual([POOL_ROW.text, WRITTEN[0], WRITTEN[2]]);
    expect(result.removed.map((r) => [r.row.text, r.filter, r.reason])).toEqual([
      [WRITTEN[1], 'verify', 'teacher verification says bug'],
      [WRITTEN[3], 'verify', 'teacher verification says other'],
    ]);
    expect(result).toMatchObject({ answers: 4, relabeled: 0, unchecked: 0 });
    expect(fx.gate.used().answers - before).toBe(4);
  });

  it("relabel: keeps the disagreeing rows with the labeler's labels and counts them", async () => {
    const { fx, rows } = await offLabelGenerator();
    const result = await new VerifyFilter('relabel').apply(rows, fx.ctx());
    expect(result.removed).toEqual([]);
    expect(result.kept.map((r) => [r.text, r.labels])).toEqual([
      [POOL_ROW.text, ['billing']],
      [WRITTEN[0], ['billing']],
      [WRITTEN[1], ['bug']],
      [WRITTEN[2], ['billing']],
      [WRITTEN[3], ['other']],
    ]);
    expect(result.kept[2]).toMatchObject({
      source: 'generated',
      strategy: 'weak-label',
      attributes: { strategy: 'weak-label' },
    });
    expect(result).toMatchObject({ answers: 4, relabeled: 2 });
  });

  it('never spends more answers than it is given: the rest pass unverified and are counted', async () => {
    const { fx, rows } = await offLabelGenerator();
    const result = await new VerifyFilter('drop').apply(rows, fx.ctx({ answers: 2 }));
    expect(labeled(fx)).toEqual([WRITTEN.slice(0, 2)]);
    expect(result.removed.map((r) => r.row.text)).toEqual([WRITTEN[1]]);
    expect(result.kept.map((r) => r.text)).toEqual([POOL_ROW.text, WRITTEN[0], WRITTEN[2], WRITTEN[3]]);
    expect(result).toMatchObject({ answers: 2, unchecked: 2 });

    fx.fake.clear();
    const none = await new VerifyFilter('drop').apply(rows, fx.ctx({ answers: 0 }));
    expect(fx.fake.requests).toHaveLength(0);
    expect(none).toMatchObject({ kept: rows, removed: [], answers: 0, unchecked: 4 });
  });

  it('drops a row whose verifying answer was rejected, even in relabel mode: an unusable answer confirms nothing', async () => {
    const { fx, rows } = await offLabelGenerator((t) => (t === WRITTEN[2] ? 'refund' : TRUTH[t]));
    const result = await new VerifyFilter('relabel').apply(rows, fx.ctx());
    expect(result.removed.map((r) => [r.row.text, r.reason])).toEqual([
      [
        WRITTEN[2],
        expect.stringMatching(
          /^teacher verification gave no usable answer: .*"refund" is not one of the task's labels/,
        ),
      ],
    ]);
    expect(result).toMatchObject({ answers: 4, relabeled: 2 });
  });

  it('compares multi-label answers as sets', async () => {
    const task = {
      instruction: 'Tag each message with every team that should see it.',
      labels: [{ name: 'billing' }, { name: 'bug' }, { name: 'other' }],
      multiLabel: true,
    };
    const { fx } = await offLabelGenerator(
      (t) => (t === WRITTEN[1] ? ['bug', 'billing'] : t === WRITTEN[3] ? [] : TRUTH[t]),
      task,
    );
    const rows = [{ ...candidate(WRITTEN[1], 'billing'), labels: ['billing', 'bug'] }, candidate(WRITTEN[3], 'other')];
    const result = await new VerifyFilter('drop').apply(rows, fx.ctx());
    expect(result.kept.map((r) => r.text)).toEqual([WRITTEN[1]]);
    expect(result.removed.map((r) => r.reason)).toEqual(['teacher verification says no label']);
  });
});
