import { afterEach, describe, expect, it } from 'vitest';
import { type LlmFixture, llmFixture } from '../../../../test/fake-llm/llm-fixture.js';
import type { ExtractTaskContext } from '../../../teacher/extract/prompts.js';
import { textOfExtractionQuestion } from '../../../teacher/extract/prompts.js';
import type { ExtractTeacher, TeacherSpan } from '../../../teacher/extract/types.js';
import { textId } from '../../../util/hash.js';
import type { ExtractRow } from '../types.js';
import { verifySpans } from './verify.js';

const TASK: ExtractTaskContext = {
  instruction: 'Mark people and places.',
  types: [{ name: 'person' }, { name: 'place' }],
  seeds: [],
};
/** What the verifying request answers per text. */
const SECOND: Record<string, string> = {
  'Ada met Bob in Paris': JSON.stringify({
    entities: [
      { type: 'person', text: 'Ada' },
      { type: 'person', text: 'Paris' },
    ],
  }),
  'Grace went to Oslo': JSON.stringify({
    entities: [
      { type: 'person', text: 'Grace' },
      { type: 'place', text: 'Oslo' },
    ],
  }),
  'Linus lives in Lima': 'no entities here, sorry',
};

/** A generated row: the writer's own spans, placed at the first occurrence of each surface. */
function generated(text: string, spans: [string, string][]): ExtractRow {
  const placed: TeacherSpan[] = spans.map(([type, s]) => {
    const start = text.indexOf(s);
    return { start, end: start + s.length, type, text: s, status: 'exact' };
  });
  return { id: textId(text), text, spans: placed, source: 'generated' as ExtractRow['source'], round: 2, rejected: [] };
}
const ROWS = [
  generated('Ada met Bob in Paris', [
    ['person', 'Ada'],
    ['person', 'Bob'],
    ['place', 'Paris'],
  ]),
  generated('Grace went to Oslo', [
    ['person', 'Grace'],
    ['place', 'Oslo'],
  ]),
  generated('Linus lives in Lima', [['person', 'Linus']]),
];

let fx: LlmFixture | undefined;
afterEach(async () => {
  await fx?.stop();
  fx = undefined;
});

async function verifier(): Promise<ExtractTeacher> {
  fx = await llmFixture(
    (req) => SECOND[textOfExtractionQuestion(req.messages.find((m) => m.role === 'user')!.content) ?? ''],
    {
      task: { instruction: TASK.instruction, labels: TASK.types, multiLabel: false },
      settings: { maxOutputRetries: 0 },
      price: { inputPerMTok: 0.15, outputPerMTok: 0.6 },
    },
  );
  const t = fx.teacher;
  return { id: t.id, kind: 'llm', concurrency: 1, extract: (inputs, o) => t.extract(inputs, TASK, o) };
}

describe('verification of spans by a second extraction request (fake LLM over HTTP)', () => {
  it('relabel: keeps the spans both answers agree on; a row with no usable second answer is dropped', async () => {
    const teacher = await verifier();
    const out = await verifySpans(ROWS, { teacher, answers: 10, round: 2 }, 'relabel');
    expect(out.kept.map((r) => [r.text, r.spans.map((s) => s.text)])).toEqual([
      ['Ada met Bob in Paris', ['Ada']],
      ['Grace went to Oslo', ['Grace', 'Oslo']],
    ]);
    expect(out.removed).toEqual([
      expect.objectContaining({
        text: 'Linus lives in Lima',
        reason: expect.stringMatching(/^verify: the second answer could not be used/),
      }),
    ]);
    // Bob (unconfirmed), Paris (another type), and Linus of the dropped row.
    expect(out).toMatchObject({ spansDropped: 3, checked: 3, unchecked: 0, answers: 3 });
    expect(fx!.gate.used().answers).toBe(3);
    expect(fx!.gate.used().dollars).toBeGreaterThan(0);
  });

  it('drop: only rows the second answer confirms whole are kept; rows beyond the answers pass unchecked', async () => {
    const teacher = await verifier();
    const out = await verifySpans(ROWS, { teacher, answers: 2, round: 2 }, 'drop');
    expect(out.kept.map((r) => r.text)).toEqual(['Grace went to Oslo', 'Linus lives in Lima']);
    expect(out.removed[0].reason).toMatch(
      /verify: the second answer disagrees on 3 span\(s\): person "Ada", person "Paris"/,
    );
    expect(out).toMatchObject({ checked: 2, unchecked: 1, answers: 2, spansDropped: 3 });
  });
});
