import { afterEach, describe, expect, it } from 'vitest';
import { type LlmFixture, llmFixture } from '../../../../test/fake-llm/llm-fixture.js';
import type { FakeLlmRequest } from '../../../../test/fake-llm/types.js';
import type { ExtractTaskContext } from '../../../teacher/extract/prompts.js';
import { textOfExtractionQuestion } from '../../../teacher/extract/prompts.js';
import type { ExtractTeacher } from '../../../teacher/extract/types.js';
import type { LlmTeacher } from '../../../teacher/llm-teacher.js';
import { textId } from '../../../util/hash.js';
import type { ExtractRow } from '../types.js';
import { spanSelfConsistency } from './self-consistency.js';

const TASK: ExtractTaskContext = {
  instruction: 'Mark people and places.',
  types: [{ name: 'person' }, { name: 'place' }],
  seeds: [],
};
const e = (type: string, text: string) => ({ type, text });
/** Scripted answers per text, one per request in order: the row's own answer, then the samples. */
const SCRIPT: Record<string, { type: string; text: string }[][]> = {
  'Ada met Bob in Paris': [
    [e('person', 'Ada'), e('person', 'Bob'), e('place', 'Paris')],
    [e('person', 'Ada'), e('place', 'Paris')],
    [e('person', 'Ada')],
  ],
  'Grace went to Oslo': [[e('person', 'Grace')], [e('place', 'Oslo')], [e('place', 'Grace')]],
};

let fx: LlmFixture | undefined;
afterEach(async () => {
  await fx?.stop();
  fx = undefined;
});

/** A fake LLM answering each text's n-th request with SCRIPT[text][n]; records the temperatures sent. */
async function scripted() {
  const seen = new Map<string, number>();
  const temperatures: number[] = [];
  fx = await llmFixture(
    (req: FakeLlmRequest) => {
      const q = req.messages.find((m) => m.role === 'user')!.content;
      const text = textOfExtractionQuestion(q) ?? '';
      const n = seen.get(text) ?? 0;
      seen.set(text, n + 1);
      temperatures.push(req.body.temperature ?? 0);
      return JSON.stringify({ entities: SCRIPT[text][n] ?? [] });
    },
    {
      task: { instruction: TASK.instruction, labels: TASK.types, multiLabel: false },
      price: { inputPerMTok: 0.15, outputPerMTok: 0.6 },
    },
  );
  return { fx, temperatures };
}

const asExtractTeacher = (t: LlmTeacher): ExtractTeacher => ({
  id: t.id,
  kind: 'llm',
  concurrency: t.concurrency,
  extract: (inputs, options) => t.extract(inputs, TASK, options),
});

async function ownAnswers(teacher: ExtractTeacher): Promise<ExtractRow[]> {
  const texts = Object.keys(SCRIPT);
  const answers = await teacher.extract(texts.map((text) => ({ id: textId(text), text })));
  return answers.map((a, i) => {
    if (!a.ok) throw new Error(a.reason);
    return { id: a.id, text: texts[i], spans: a.spans, source: 'random', round: 1, rejected: a.rejected };
  });
}

describe('self-consistency on spans against the fake LLM over HTTP', () => {
  it('keeps spans a majority of samples gave, drops the rest, rejects a text the samples disagree on', async () => {
    const { fx, temperatures } = await scripted();
    const teacher = asExtractTeacher(fx.teacher);
    const rows = await ownAnswers(teacher);
    const before = fx.gate.used();
    expect(before.answers).toBe(2);

    const out = await spanSelfConsistency(rows, { teacher, answers: 100, round: 1 }, { samples: 3, minAgreement: 0.5 });

    // Ada 3 of 3, Paris 2 of 3: kept; Bob 1 of 3: dropped.
    expect(out.kept).toHaveLength(1);
    expect(out.kept[0].spans.map((s) => [s.type, s.text])).toEqual([
      ['person', 'Ada'],
      ['place', 'Paris'],
    ]);
    // Grace/person, Oslo/place, Grace/place: one vote each, agreement 1/3 < 0.5.
    expect(out.removed).toHaveLength(1);
    expect(out.removed[0]).toMatchObject({ text: 'Grace went to Oslo', round: 1 });
    expect(out.removed[0].reason).toMatch(/self-consistency: the 3 samples agreed on 33% of their spans/);
    expect(out.spansDropped).toBe(2); // Bob, and Grace of the rejected text
    expect(out).toMatchObject({ checked: 2, unchecked: 0, answers: 4 });

    // Every sample is an answer on the budget, a request over HTTP, and dollars on the ledger.
    const after = fx.gate.used();
    expect(after.answers).toBe(6);
    expect(fx.fake.requests).toHaveLength(6);
    expect(before.dollars).toBeGreaterThan(0);
    expect(after.dollars).toBeGreaterThan(2.5 * before.dollars);
    expect(fx.gate.totals().inputTokens).toBeGreaterThan(0);
    // The samples ask above 0, the row's own answer at the teacher's setting.
    expect(temperatures.slice(0, 2)).toEqual([0, 0]);
    expect(temperatures.slice(2)).toEqual([0.7, 0.7, 0.7, 0.7]);
    // Each sample is its own cache entry (the two samples of a text have identical requests: the gate's sample index tells them apart).
    expect(new Set(fx.cached.map((c) => c.key)).size).toBe(6);
  });

  it('a re-run replays the same samples from the cache, paying nothing', async () => {
    const { fx } = await scripted();
    const first = asExtractTeacher(fx.teacher);
    const a = await spanSelfConsistency(
      await ownAnswers(first),
      { teacher: first, answers: 100, round: 1 },
      {
        samples: 3,
        minAgreement: 0.5,
      },
    );
    const rerun = fx.rerun();
    const second = asExtractTeacher(rerun.teacher);
    const b = await spanSelfConsistency(
      await ownAnswers(second),
      { teacher: second, answers: 100, round: 1 },
      {
        samples: 3,
        minAgreement: 0.5,
      },
    );
    expect(b.kept).toEqual(a.kept);
    expect(fx.fake.requests).toHaveLength(6);
    expect(rerun.gate.totals().cacheHits).toBe(6);
    expect(rerun.gate.totals().dollars).toBe(0);
  });

  it('spends no more than the answers given: rows beyond pass unchecked', async () => {
    const { fx } = await scripted();
    const teacher = asExtractTeacher(fx.teacher);
    const rows = await ownAnswers(teacher);
    const out = await spanSelfConsistency(rows, { teacher, answers: 3, round: 1 }, { samples: 3, minAgreement: 0.5 });
    expect(out).toMatchObject({ checked: 1, unchecked: 1, answers: 2 });
    expect(out.kept.map((r) => r.text)).toEqual(['Ada met Bob in Paris', 'Grace went to Oslo']);
    expect(out.kept[1].spans).toEqual(rows[1].spans);
    expect(fx.gate.used().answers).toBe(4);
  });
});
