import { afterEach, describe, expect, it } from 'vitest';
import { FAULT_KINDS, withFaults, type FaultKind } from '../fake-llm/faults.js';
import { fakeTeacher, isCorrection } from '../fake-llm/scripts.js';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import type { FakeLlmRequest } from '../fake-llm/types.js';

const labeler = fakeTeacher({ answer: () => 'bug' });

function labelRequest(
  index: number,
  text = `text ${index}`,
  provider: 'openai' | 'anthropic' = 'openai',
): FakeLlmRequest {
  const content = `Label these.\n\n<texts>\n1. ${JSON.stringify(text)}\n</texts>\n`;
  return {
    provider,
    index,
    path: '',
    model: 'm',
    structured: 'json_schema',
    headers: {},
    body: { model: 'm', messages: [{ role: 'user', content }] },
    messages: [{ role: 'user', content }],
    schema: { properties: { items: { items: { properties: { id: {}, label: {} } } } } },
  };
}

const only = (kind: FaultKind) => ({ rate: 1, kinds: { [kind]: 1 } });

let fake: FakeLlm | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

describe('fault injector', () => {
  it('faults about the asked share of requests, the same ones for the same seed, whatever their order', async () => {
    const run = async (order: number[], seed: number) => {
      const f = withFaults(labeler, { rate: 0.3, seed });
      const got = new Map<number, string>();
      for (const i of order) {
        await f.handler(labelRequest(i));
        got.set(i, f.log[f.log.length - 1].fault);
      }
      return { got, injected: f.injected };
    };
    const ids = Array.from({ length: 400 }, (_, i) => i);
    const a = await run(ids, 1);
    const b = await run([...ids].reverse(), 1);
    expect(b.got).toEqual(a.got);
    const faulted = 400 - a.injected.none;
    expect(faulted).toBeGreaterThan(400 * 0.2);
    expect(faulted).toBeLessThan(400 * 0.4);
    // Every kind shows up at equal weights, and another seed faults other requests.
    for (const kind of FAULT_KINDS) expect(a.injected[kind], kind).toBeGreaterThan(0);
    expect((await run(ids, 2)).got).not.toEqual(a.got);
  });

  it('draws afresh for a repeated request, so a retry can succeed', async () => {
    const f = withFaults(labeler, { rate: 0.5, seed: 3 });
    for (let i = 0; i < 40; i++) await f.handler(labelRequest(0, 'always the same'));
    expect(f.injected.none).toBeGreaterThan(5);
    expect(f.injected.none).toBeLessThan(35);
  });

  it('spares the requests it is told to', async () => {
    const f = withFaults(labeler, { rate: 1, spare: isCorrection });
    const correction = labelRequest(0);
    correction.messages = [
      ...correction.messages,
      { role: 'assistant', content: 'x' },
      { role: 'user', content: 'Your answer could not be used: no' },
    ];
    expect(await f.handler(correction)).toBe(JSON.stringify({ items: [{ id: '1', label: 'bug' }] }));
    expect(f.injected.none).toBe(1);
  });

  it('spoils answers the way providers do', async () => {
    const reply = async (kind: FaultKind, provider: 'openai' | 'anthropic' = 'openai') =>
      withFaults(labeler, only(kind)).handler(labelRequest(0, 'x', provider));
    expect(await reply('rate-limit')).toMatchObject({ kind: 'http', status: 429, headers: { 'retry-after': '0.01' } });
    expect([500, 503]).toContain(((await reply('server-error')) as { status: number }).status);
    expect(await reply('reset')).toEqual({ kind: 'reset' });
    expect(await reply('hang')).toEqual({ kind: 'hang' });
    for (const provider of ['openai', 'anthropic'] as const) {
      const cut = (await reply('truncated-body', provider)) as { status: number; body: string };
      expect(cut.status).toBe(200);
      expect(() => JSON.parse(cut.body)).toThrow();
    }
    expect(await reply('truncated-answer')).toMatchObject({ kind: 'answer', finishReason: 'length' });
    expect(JSON.parse(((await reply('schema-break')) as { text: string }).text)).toEqual({
      result: { items: [{ id: '1', label: 'bug' }] },
    });
    expect(await reply('empty-answer')).toMatchObject({ kind: 'answer', text: '' });
    expect(JSON.parse(((await reply('bad-label')) as { text: string }).text)).toEqual({
      items: [{ id: '1', label: 'not-a-label' }],
    });
  });

  it('tallies its replies by status in step with the server, over both protocols', async () => {
    const f = withFaults(labeler, {
      rate: 0.6,
      seed: 5,
      kinds: { 'rate-limit': 1, 'server-error': 1, 'truncated-body': 1, 'empty-answer': 1, reset: 1 },
    });
    fake = await startFakeLlm(f.handler);
    const post = (path: string, i: number) =>
      fetch(fake!.url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'm',
          max_tokens: 5,
          messages: [{ role: 'user', content: `Label.\n\n<texts>\n1. "t${i}"\n</texts>\n` }],
        }),
      }).then(
        (r) => r.text(),
        () => 'reset',
      );
    for (let i = 0; i < 30; i++) await post(i % 2 ? '/v1/messages' : '/v1/chat/completions', i);
    expect(f.answered).toEqual(fake.outcomes);
    expect(f.answered['200']).toBe(f.injected.none + f.injected['truncated-body'] + f.injected['empty-answer']);
  });
});
