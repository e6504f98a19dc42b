import { afterEach, describe, expect, it } from 'vitest';
import { type LlmFixture, llmFixture } from '../../../test/fake-llm/llm-fixture.js';
import type { FakeLlmRequest } from '../../../test/fake-llm/types.js';
import { parseExtractGenerateAnswer } from './generate-answer.js';
import type { ExtractTaskContext } from './prompts.js';

const TYPES = ['person', 'location'];
const TASK: ExtractTaskContext = {
  instruction: 'Mark people and places in travel messages.',
  types: [{ name: 'person', description: 'a named human' }, { name: 'location' }],
  seeds: [{ text: 'Ana flew to Lima', entities: [{ type: 'person', text: 'Ana' }] }],
};

let fx: LlmFixture | undefined;
afterEach(async () => {
  await fx?.stop();
  fx = undefined;
});

function lastUser(req: FakeLlmRequest): string {
  return [...req.messages].reverse().find((m) => m.role === 'user')!.content;
}

/** The user message of the i-th request the server received, from the OpenAI body sent. */
function sentUser(i: number): string {
  const body = fx!.fake.requests[i].body as { messages: { role: string; content: string }[] };
  return [...body.messages].reverse().find((m) => m.role === 'user')!.content;
}

/** The fake model: writes the examples the test scripts, after checking it was asked for `n`. */
function writer(examples: unknown[]) {
  return (req: FakeLlmRequest) => {
    const m = /^Write (\d+) different annotated texts/.exec(lastUser(req));
    if (!m) throw new Error(`not a generation request: ${lastUser(req).slice(0, 80)}`);
    return JSON.stringify({ examples: examples.slice(0, Number(m[1]) + 1) });
  };
}

describe('LLM extraction generate over real HTTP', () => {
  it('aligns each text’s mentions to that text, rejects the hallucinated one, and charges every example asked for', async () => {
    fx = await llmFixture(
      writer([
        {
          text: 'Met Joe Bloggs in Leeds, then Joe left',
          entities: [
            { type: 'person', text: 'Joe Bloggs' },
            { type: 'location', text: 'leeds' },
            { type: 'person', text: 'Joe' },
          ],
        },
        { text: 'Priya waved', entities: [{ type: 'person', text: 'Grace Hopper' }] },
        { text: '   ', entities: [] },
      ]),
    );
    const out = await fx.teacher.extractGenerate({ type: 'person', n: 3, avoid: ['Ana flew to Lima'] }, TASK);
    // The types went to the provider as a constrained enum inside each example.
    const sent = fx.fake.requests[0].body as any;
    const example = sent.response_format.json_schema.schema.properties.examples.items;
    expect(example.properties.entities.items.properties.type.enum).toEqual(TYPES);
    const prompt = sentUser(0);
    expect(prompt).toContain('at least one mention of "person"');
    expect(prompt).toContain('- "Ana flew to Lima"');

    expect(out.answers).toBe(3);
    expect(fx.gate.used().answers).toBe(3);
    expect(out.examples.map((e) => e.text)).toEqual(['Met Joe Bloggs in Leeds, then Joe left', 'Priya waved']);
    const [a, b] = out.examples;
    expect(a.spans.map((s) => [s.text, s.type, s.status])).toEqual([
      ['Joe Bloggs', 'person', 'exact'],
      ['Leeds', 'location', 'case'],
      ['Joe', 'person', 'exact'],
    ]);
    for (const s of a.spans) expect(a.text.slice(s.start, s.end)).toBe(s.text);
    // A mention the model did not put in its own text: a rejected mention with its raw JSON.
    expect(b.spans).toEqual([]);
    expect(b.rejected).toEqual([
      { raw: '{"type":"person","text":"Grace Hopper"}', index: 0, reason: expect.stringMatching(/not found/) },
    ]);
    expect(out.rejected).toEqual([{ raw: '{"text":"   ","entities":[]}', reason: 'example has no text' }]);
    expect(fx.events.filter((e) => e.type === 'teacher-rejected' && e.kind === 'generate')).toHaveLength(1);
  });

  it('hard negatives and entity-free requests say so in the prompt; a replay is served from the cache', async () => {
    fx = await llmFixture(
      writer([{ text: 'Paris Hilton waved', entities: [{ type: 'person', text: 'Paris Hilton' }] }]),
    );
    await fx.teacher.extractGenerate({ type: 'person', confusedWith: 'location', n: 1 }, TASK);
    expect(sentUser(0)).toMatch(/mistaken for "location", but is truly "person"/);
    await fx.teacher.extractGenerate({ entityFree: true, n: 1 }, TASK);
    expect(sentUser(1)).toMatch(/no mention of any of the types/);
    const again = fx.rerun();
    const replay = await again.teacher.extractGenerate({ type: 'person', confusedWith: 'location', n: 1 }, TASK);
    expect(fx.fake.requests).toHaveLength(2);
    expect(replay.examples[0].spans.map((s) => s.text)).toEqual(['Paris Hilton']);
    await expect(fx.teacher.extractGenerate({ type: 'org', n: 1 }, TASK)).rejects.toThrow(
      /not one of the task's types/,
    );
  });
});

describe('parseExtractGenerateAnswer', () => {
  it('rejects examples past n, repeats and a non-list entities field, one by one', () => {
    const raw = JSON.stringify({
      examples: [
        { text: 'Ana ran', entities: [{ type: 'person', text: 'Ana' }] },
        { text: 'ana  ran', entities: [] },
        { text: 'Bo sat', entities: 'Bo' },
        { text: 'Cy slept', entities: [] },
        { text: 'Di ate', entities: [] },
      ],
    });
    const r = parseExtractGenerateAnswer(raw, TYPES, 2);
    expect(r.examples.map((e) => e.text)).toEqual(['Ana ran', 'Cy slept']);
    expect(r.rejected.map((x) => x.reason)).toEqual([
      'example repeats an earlier one',
      'example has no "entities" list',
      'more than the 2 examples asked for',
    ]);
    expect(parseExtractGenerateAnswer('nope', TYPES, 2).rejected[0].reason).toMatch(/not valid JSON/);
  });
});
