import { afterEach, describe, expect, it } from 'vitest';
import { batchTexts, labelingAnswer, type FakeHandler } from '../../../test/fake-llm/index.js';
import type { LabelInput, LabelOptions, LabelResult, Teacher } from '../../teacher/types.js';
import { candidate, filterContext, filterFixture } from './filter.fixture.js';
import { SelfConsistencyFilter } from './self-consistency.js';

const SURE = 'I was charged twice for my May invoice.';
const TORN = 'The invoice page shows the wrong amount.';
const LOST = 'Can I get a refund if the app keeps crashing?';
/** What each extra sample says of each text, in order; `refund` is outside the task's labels (a rejected answer). */
const SAMPLES: Record<string, string[]> = {
  [SURE]: ['billing', 'billing', 'billing', 'billing'],
  [TORN]: ['other', 'other', 'bug', 'other'],
  [LOST]: ['bug', 'other', 'billing', 'refund'],
};
const POOL = [candidate(SURE, 'billing', 'pool'), candidate(TORN, 'bug', 'pool'), candidate(LOST, 'billing', 'pool')];
const GENERATED = candidate('Please send me the March invoice again.', 'billing');

/** A teacher that answers differently each time it is asked again, as one sampled at temperature 0.7 would. */
function sampledTeacher(): FakeHandler {
  let sample = 0;
  return (req) => {
    const s = sample++;
    return labelingAnswer(req, { answer: (text) => SAMPLES[text][s] });
  };
}

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

describe('self-consistency filter (LlmTeacher on the fake server)', () => {
  it('takes the majority of n samples as the labels, their agreement as confidence, and drops rows under minAgreement', async () => {
    const fx = await filterFixture(sampledTeacher());
    stop = fx.stop;
    const result = await new SelfConsistencyFilter(5, 0.5).apply([...POOL, GENERATED], fx.ctx());

    expect(result.kept).toEqual([
      { ...POOL[0], labels: ['billing'], confidence: 1 },
      { ...POOL[1], labels: ['other'], confidence: 0.6 },
      GENERATED,
    ]);
    expect(result.removed).toEqual([
      {
        row: { ...POOL[2], labels: ['billing'], confidence: 0.4 },
        filter: 'self-consistency',
        reason: 'teacher agreed with itself on 2 of 5 samples (40%), under the 50% required; most said billing',
      },
    ]);
    expect(result).toMatchObject({ answers: 12, relabeled: 1, unchecked: 0 });

    // Four extra samples, one after another, each of the pool rows only, each at temperature 0.7.
    const bodies = fx.fake.requests.map((r) => r.body as any);
    expect(bodies).toHaveLength(4);
    for (const body of bodies) {
      expect(body.temperature).toBe(0.7);
      expect(batchTexts({ messages: body.messages } as any)).toEqual([SURE, TORN, LOST]);
    }
    expect(fx.fake.maxInFlight).toBe(1);
    expect(fx.gate.used().answers).toBe(12);
  });

  it('replays the same samples from the cache on a re-run', async () => {
    const fx = await filterFixture(sampledTeacher());
    stop = fx.stop;
    const live = await new SelfConsistencyFilter(5, 0.5).apply(POOL, fx.ctx());
    const requests = fx.fake.requests.length;
    const replay = await new SelfConsistencyFilter(5, 0.5).apply(POOL, filterContext(fx.rerun().teacher));
    expect(replay).toEqual(live);
    expect(fx.fake.requests).toHaveLength(requests);
  });

  it('never spends more answers than it is given: rows it cannot afford pass unchanged and are counted', async () => {
    const fx = await filterFixture(sampledTeacher());
    stop = fx.stop;
    // Three samples cost two answers per row: five answers check two rows.
    const result = await new SelfConsistencyFilter(3, 0.5).apply(POOL, fx.ctx({ answers: 5 }));
    expect(fx.fake.requests.map((r) => batchTexts({ messages: (r.body as any).messages } as any))).toEqual([
      [SURE, TORN],
      [SURE, TORN],
    ]);
    expect(result.kept).toEqual([
      { ...POOL[0], confidence: 1 },
      { ...POOL[1], labels: ['other'], confidence: 2 / 3 },
      POOL[2],
    ]);
    expect(result).toMatchObject({ answers: 4, unchecked: 1 });
  });
});

/** A hand-written teacher: answers from a script, records the options of every call and whether calls overlapped. */
function scriptedTeacher(script: (text: string, call: number) => string) {
  const calls: LabelOptions[] = [];
  let inFlight = 0;
  let overlapped = false;
  const teacher: Teacher = {
    id: 'scripted',
    kind: 'llm',
    concurrency: 1,
    async label(inputs: LabelInput[], options: LabelOptions = {}): Promise<LabelResult[]> {
      const call = calls.length;
      calls.push(options);
      if (++inFlight > 1) overlapped = true;
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return inputs.map((i) => ({ id: i.id, ok: true, labels: [script(i.text, call)] }));
    },
    generate: () => Promise.reject(new Error('not used')),
  };
  return { teacher, calls, overlapped: () => overlapped };
}

describe('self-consistency filter (scripted teacher)', () => {
  it('asks for every extra sample at temperature 0.7, one call at a time', async () => {
    const s = scriptedTeacher(() => 'billing');
    const result = await new SelfConsistencyFilter(4, 0.5).apply(POOL, filterContext(s.teacher));
    expect(s.calls).toEqual([{ temperature: 0.7 }, { temperature: 0.7 }, { temperature: 0.7 }]);
    expect(s.overlapped()).toBe(false);
    expect(result.answers).toBe(9);
  });

  it("breaks a tie in favour of the row's own answer, which then just meets minAgreement 0.5", async () => {
    const s = scriptedTeacher(() => 'other');
    const kept = await new SelfConsistencyFilter(2, 0.5).apply([POOL[0]], filterContext(s.teacher));
    expect(kept.kept).toEqual([{ ...POOL[0], confidence: 0.5 }]);
    const dropped = await new SelfConsistencyFilter(2, 0.6).apply([POOL[0]], filterContext(s.teacher));
    expect(dropped.removed.map((r) => r.reason)).toEqual([
      'teacher agreed with itself on 1 of 2 samples (50%), under the 60% required; most said billing',
    ]);
  });

  it('asks nothing with one sample per row or no pool rows', async () => {
    const s = scriptedTeacher(() => 'billing');
    expect(await new SelfConsistencyFilter(1, 0.5).apply(POOL, filterContext(s.teacher))).toEqual({
      kept: POOL,
      removed: [],
      answers: 0,
    });
    expect(await new SelfConsistencyFilter(3, 0.5).apply([GENERATED], filterContext(s.teacher))).toMatchObject({
      kept: [GENERATED],
      answers: 0,
    });
    expect(s.calls).toEqual([]);
  });
});
