import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fakeTeacher, generationAsk, isCorrection, labelingAnswer } from '../../test/fake-llm/index.js';
import { llmFixture, type LlmFixture } from '../../test/fake-llm/llm-fixture.js';
import { textId } from '../util/hash.js';

let fx: LlmFixture | undefined;
afterEach(async () => {
  await fx?.stop();
  fx = undefined;
});

const schema = z.object({ dimensions: z.array(z.object({ name: z.string(), values: z.array(z.string()) })) });
const ANSWER = { dimensions: [{ name: 'tone', values: ['angry', 'calm'] }] };
const question = { purpose: 'attributes', prompt: 'Propose attribute dimensions.', schema };
const body = (i: number) => fx!.fake.requests[i].body as any;

describe('LlmTeacher.ask', () => {
  it('asks the question about the task, with the schema as structured output, and returns the parsed value', async () => {
    fx = await llmFixture(() => JSON.stringify(ANSWER));
    const result = await fx.teacher.ask(question);
    expect(result).toEqual({ ok: true, value: ANSWER });
    const [system, user] = body(0).messages;
    expect(system.content).toContain('Task: Route each customer support message to the team that should handle it.');
    expect(system.content).toContain('- billing\n- bug\n- other');
    expect(user.content).toBe('Propose attribute dimensions.');
    expect(body(0).response_format.json_schema.name).toBe('attributes');
    expect(body(0).response_format.json_schema.schema.properties.dimensions.type).toBe('array');
  });

  it('spends no answers, is ledgered as `other`, and replays from the cache', async () => {
    fx = await llmFixture(() => JSON.stringify(ANSWER), { budget: { answers: 1 } });
    await fx.teacher.ask(question);
    expect(fx.gate.used().answers).toBe(0);
    expect(fx.gate.ledger()).toEqual([expect.objectContaining({ kind: 'other', answers: 0, cached: false })]);
    expect(fx.gateRequests[0]).toMatchObject({ kind: 'other', purpose: 'attributes', temperature: 0 });
    const replay = await fx.rerun().teacher.ask(question);
    expect(replay).toEqual({ ok: true, value: ANSWER });
    expect(fx.fake.requests).toHaveLength(1);
  });

  it('asks again when the answer breaks the schema, then returns the raw text and the reason', async () => {
    fx = await llmFixture(() => '{"dimensions": [{"name": "tone"}]}', { settings: { maxOutputRetries: 1 } });
    const result = await fx.teacher.ask(question);
    expect(fx.fake.requests).toHaveLength(2);
    expect(result).toEqual({
      ok: false,
      raw: '{"dimensions": [{"name": "tone"}]}',
      reason: expect.stringMatching(/required shape at dimensions\.0\.values/),
    });
    expect(fx.events.some((e) => e.type === 'warning' && /"attributes" question/.test(e.message))).toBe(true);
  });

  it('keeps a corrected answer', async () => {
    fx = await llmFixture((req) => (isCorrection(req) ? JSON.stringify(ANSWER) : 'no JSON here'));
    expect(await fx.teacher.ask(question)).toEqual({ ok: true, value: ANSWER });
  });

  it('sends its own temperature when given one', async () => {
    fx = await llmFixture(() => JSON.stringify(ANSWER));
    await fx.teacher.ask({ ...question, temperature: 0.7 });
    expect(body(0).temperature).toBe(0.7);
  });
});

describe('LlmTeacher.label temperature', () => {
  it('sends the asked temperature, which is part of the cache key', async () => {
    fx = await llmFixture(fakeTeacher({ answer: () => 'bug' }));
    const inputs = [{ id: textId('x'), text: 'x' }];
    await fx.teacher.label(inputs);
    await fx.teacher.label(inputs, { temperature: 1 });
    await fx.teacher.label(inputs, { temperature: 1 });
    expect(fx.fake.requests.map((r) => (r.body as any).temperature)).toEqual([0, 1, 1]);
    // Same text, same temperature: the third call is sample 2 of one request, not a cache hit of the first.
    expect(new Set(fx.cached.map((c) => c.key)).size).toBe(3);
  });
});

describe('LlmTeacher.generate: variety', () => {
  it('samples at teacher.generateTemperature and labels at teacher.temperature', async () => {
    fx = await llmFixture(fakeTeacher({ answer: () => 'bug' }));
    await fx.teacher.generate({ label: 'bug', n: 2 });
    await fx.teacher.label([{ id: textId('x'), text: 'x' }]);
    expect(fx.fake.requests.map((r) => (r.body as any).temperature)).toEqual([0.9, 0]);
  });

  it('shows anchors and texts to avoid as JSON-encoded data, and keeps the first line readable by the fake', async () => {
    let seen = '';
    fx = await llmFixture((req) => {
      seen = req.messages.find((m) => m.role === 'user')!.content;
      expect(generationAsk(req)).toEqual({ label: 'billing', n: 2 });
      return JSON.stringify({ examples: ['a', 'b'] });
    });
    await fx.teacher.generate({
      label: 'billing',
      n: 2,
      guidance: {
        anchors: ['I was charged twice'],
        avoid: ['Refund "now"\nplease'],
        attributes: { leaf: 'billing/refunds', cluster: 'billing#1', tone: 'angry' },
      },
    });
    expect(seen).toContain('Stay close in topic and style to these examples of billing');
    expect(seen).toContain('- "I was charged twice"');
    expect(seen).toContain('These texts of billing already exist; write new ones that differ');
    expect(seen).toContain(`- ${JSON.stringify('Refund "now"\nplease')}`);
    expect(seen).toContain('belong to this part of the task: billing > refunds.');
    expect(seen).toContain('- tone: angry');
    // The dataset teacher's cluster names mean nothing to a model.
    expect(seen).not.toContain('billing#1');
  });

  it('labels still work beside ask in one run', async () => {
    fx = await llmFixture((req) =>
      req.messages.some((m) => m.content.includes('<texts>'))
        ? labelingAnswer(req, { answer: () => 'other' })
        : JSON.stringify(ANSWER),
    );
    const [asked, labeled] = await Promise.all([
      fx.teacher.ask(question),
      fx.teacher.label([{ id: 'a', text: 'where are you?' }]),
    ]);
    expect(asked.ok).toBe(true);
    expect(labeled[0]).toMatchObject({ ok: true, labels: ['other'] });
  });
});
