import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type LlmFixture, llmFixture } from '../../../test/fake-llm/llm-fixture.js';
import type { FakeLlmRequest } from '../../../test/fake-llm/types.js';
import { MemoryStore } from '../../store/memory-store.js';
import { TeacherSettingsSchema } from '../../task/schema.js';
import { CallGate } from '../../teacher/call-gate.js';
import { textOfExtractionQuestion } from '../../teacher/extract/prompts.js';
import { textId } from '../../util/hash.js';
import { DatasetExtractTeacher } from './dataset-extract-teacher.js';

const dir = mkdtempSync(join(tmpdir(), 'apprentice-extract-teacher-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CONLL = join(dir, 'train.conll');
writeFileSync(
  CONLL,
  [
    'Ada\tB-person',
    'Lovelace\tI-person',
    'visited\tO',
    'New\tB-place',
    'York\tI-place',
    '',
    'Nothing\tO',
    'here\tO',
    '',
  ].join('\n'),
);
const ENTITIES = join(dir, 'entities.jsonl');
writeFileSync(
  ENTITIES,
  `${JSON.stringify({
    text: 'Bob went to Rome',
    entities: [
      { type: 'person', text: 'Bob' },
      { type: 'place', text: 'Rome' },
    ],
  })}\n`,
);
const ATTRS = join(dir, 'attrs.jsonl');
writeFileSync(
  ATTRS,
  `${JSON.stringify({ text: 'Crocs Women Jayna Size 4', attributes: { Brand: ['Crocs'], Size: ['4'], Color: [] } })}\n`,
);

function datasetTeacher(file: string, types: string[], settings: Record<string, unknown> = {}, budget = {}) {
  const gate = new CallGate({ store: new MemoryStore(), runId: 'r', teacherId: 't', budget });
  const teacher = new DatasetExtractTeacher(TeacherSettingsSchema.parse({ model: `dataset:${file}`, ...settings }), {
    gate,
    types,
    seed: 1,
  });
  return { teacher, gate };
}
const ask = (texts: string[]) => texts.map((text) => ({ id: textId(text), text }));

describe('the dataset teacher answers extraction from every file shape', () => {
  it('CoNLL: gold spans with the file’s tokens; texts not in the file are rejected, not dropped', async () => {
    const { teacher, gate } = datasetTeacher(CONLL, ['person', 'place']);
    const [a, b, c] = await teacher.extract(ask(['Ada Lovelace visited New York', 'Nothing here', 'Unknown text']));
    expect(a).toMatchObject({
      ok: true,
      spans: [
        { start: 0, end: 12, type: 'person', text: 'Ada Lovelace', status: 'gold' },
        { start: 21, end: 29, type: 'place', text: 'New York', status: 'gold' },
      ],
    });
    expect(a.ok && a.tokens?.length).toBe(5);
    expect(b).toMatchObject({ ok: true, spans: [] });
    expect(c).toMatchObject({ ok: false, reason: /not in the dataset file/ });
    expect(gate.used().answers).toBe(3);
  });

  it('entity JSONL and attribute JSONL (attributes the task does not ask for left out)', async () => {
    const ents = datasetTeacher(ENTITIES, ['person', 'place']).teacher;
    const [e] = await ents.extract(ask(['Bob went to Rome']));
    expect(e.ok && e.spans.map((s) => [s.type, s.text])).toEqual([
      ['person', 'Bob'],
      ['place', 'Rome'],
    ]);
    const attrs = datasetTeacher(ATTRS, ['Brand']).teacher;
    const [r] = await attrs.extract(ask(['Crocs Women Jayna Size 4']));
    expect(r.ok && r.spans.map((s) => [s.type, s.text])).toEqual([['Brand', 'Crocs']]);
  });

  it('LLM-shaped noise: missed spans, wrong types and boundary errors, the same for the same seed', async () => {
    const texts = ['Ada Lovelace visited New York'];
    const missed = datasetTeacher(CONLL, ['person', 'place'], { spanNoise: { missed: 1 } }).teacher;
    expect((await missed.extract(ask(texts)))[0]).toMatchObject({ ok: true, spans: [] });
    const wrong = datasetTeacher(CONLL, ['person', 'place'], { spanNoise: { wrongType: 1 } }).teacher;
    const [w] = await wrong.extract(ask(texts));
    expect(w.ok && w.spans.map((s) => s.type)).toEqual(['place', 'person']);
    const boundary = datasetTeacher(CONLL, ['person', 'place'], { spanNoise: { boundary: 1 } }).teacher;
    const [bd] = await boundary.extract(ask(texts));
    const again = await datasetTeacher(CONLL, ['person', 'place'], { spanNoise: { boundary: 1 } }).teacher.extract(
      ask(texts),
    );
    expect(again[0]).toEqual(bd);
    if (!bd.ok) throw new Error('expected spans');
    expect(bd.spans.map((s) => s.text)).not.toEqual(['Ada Lovelace', 'New York']);
    for (const s of bd.spans) expect('Ada Lovelace visited New York'.slice(s.start, s.end)).toBe(s.text);
  });
});

let fx: LlmFixture | undefined;
afterEach(async () => {
  await fx?.stop();
  fx = undefined;
});
/** The question (a retry appends a correction after it). */
const question = (req: FakeLlmRequest) => req.messages.find((m) => m.role === 'user')!.content;

describe('the LLM teacher answers extraction over HTTP', () => {
  const TASK = { instruction: 'Mark people and places.', types: [{ name: 'person' }, { name: 'place' }] };

  it('restricts types in the structured output, keeps alignment statuses, rejects unalignable spans with raw text', async () => {
    fx = await llmFixture((req) => {
      const text = textOfExtractionQuestion(question(req)) ?? '';
      if (text.startsWith('garbage')) return 'I think there are no entities.';
      return JSON.stringify({
        entities: [
          { type: 'person', text: 'ada' },
          { type: 'place', text: 'Paris' },
          { type: 'person', text: 'Grace Hopper' },
        ],
      });
    });
    const results = await fx.teacher.extract(ask(['Ada flew to Paris', 'garbage in']), TASK);
    const sent = fx.fake.requests[0].body as any;
    expect(sent.response_format.json_schema.schema.properties.entities.items.properties.type.enum).toEqual([
      'person',
      'place',
    ]);
    expect(results[0]).toMatchObject({
      ok: true,
      spans: [
        { text: 'Ada', type: 'person', status: 'case', start: 0 },
        { text: 'Paris', type: 'place', status: 'exact', start: 12 },
      ],
      rejected: [{ raw: '{"type":"person","text":"Grace Hopper"}', reason: expect.stringMatching(/not found/) }],
    });
    // Not an entities object: asked again (maxOutputRetries), then a rejected answer with its raw text.
    expect(results[1]).toMatchObject({ ok: false, raw: 'I think there are no entities.' });
    expect(fx.fake.requests).toHaveLength(3);
    expect(fx.events.filter((e) => e.type === 'teacher-rejected')).toHaveLength(1);
    expect(fx.gate.used().answers).toBe(2);
  });
});
