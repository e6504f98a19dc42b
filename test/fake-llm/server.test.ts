import { afterEach, describe, expect, it } from 'vitest';
import { batchTexts, generationAsk, httpError, startFakeLlm, type FakeLlm, type FakeLlmRequest } from './index.js';

let fake: FakeLlm | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

const post = (path: string, body: unknown, init: RequestInit = {}) =>
  fetch(`${fake!.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...init,
  });

describe('fake LLM server', () => {
  it('normalizes an OpenAI chat request and answers in its format, recording everything', async () => {
    let seen: FakeLlmRequest | undefined;
    fake = await startFakeLlm((req) => {
      seen = req;
      return { kind: 'answer', text: '{"ok":true}', usage: { input: 7, output: 3 } };
    });
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } } };
    const res = await post(
      '/v1/chat/completions',
      {
        model: 'gpt-x',
        messages: [
          { role: 'developer', content: 'be brief' },
          { role: 'user', content: [{ type: 'text', text: 'hi' }] },
        ],
        response_format: { type: 'json_schema', json_schema: { name: 'o', schema } },
      },
      { headers: { 'content-type': 'application/json', authorization: 'Bearer k' } },
    );
    const json: any = await res.json();
    expect(json.choices[0]).toMatchObject({
      message: { role: 'assistant', content: '{"ok":true}' },
      finish_reason: 'stop',
    });
    expect(json.usage).toEqual({ prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
    expect(seen).toMatchObject({
      provider: 'openai',
      model: 'gpt-x',
      structured: 'json_schema',
      schema,
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'hi' },
      ],
    });
    expect(fake.requests[0]).toMatchObject({
      index: 0,
      method: 'POST',
      path: '/v1/chat/completions',
      outcome: 200,
      headers: { authorization: 'Bearer k' },
    });
    expect(fake.outcomes).toEqual({ 200: 1 });
  });

  it('answers a forced OpenAI tool call with tool_calls', async () => {
    fake = await startFakeLlm(() => '{"a":1}');
    const res = await post('/v1/chat/completions', {
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
      tools: [{ type: 'function', function: { name: 'answer', parameters: { type: 'object' } } }],
      tool_choice: { type: 'function', function: { name: 'answer' } },
    });
    const json: any = await res.json();
    expect(json.choices[0].finish_reason).toBe('tool_calls');
    expect(json.choices[0].message.tool_calls[0].function).toEqual({ name: 'answer', arguments: '{"a":1}' });
  });

  it('speaks Anthropic messages: system, structured output format and the forced JSON tool', async () => {
    const seen: FakeLlmRequest[] = [];
    fake = await startFakeLlm((req) => {
      seen.push(req);
      return req.index === 2 ? 'not an object' : '{"a":1}';
    });
    const base = {
      model: 'claude-x',
      max_tokens: 10,
      system: [{ type: 'text', text: 'sys' }],
      messages: [{ role: 'user', content: 'q' }],
    };
    const native = await (
      await post('/v1/messages', {
        ...base,
        output_config: { format: { type: 'json_schema', schema: { type: 'object' } } },
      })
    ).json();
    expect(native).toMatchObject({
      type: 'message',
      content: [{ type: 'text', text: '{"a":1}' }],
      stop_reason: 'end_turn',
    });
    const toolBody = {
      ...base,
      tools: [{ name: 'json', input_schema: { type: 'object' } }],
      tool_choice: { type: 'any' },
    };
    const tool = await (await post('/v1/messages', toolBody)).json();
    expect(tool).toMatchObject({
      content: [{ type: 'tool_use', name: 'json', input: { a: 1 } }],
      stop_reason: 'tool_use',
    });
    // Text that is no JSON object cannot be a tool input: it comes back as text, like a model ignoring the tool.
    const broken: any = await (await post('/v1/messages', toolBody)).json();
    expect(broken.content).toEqual([{ type: 'text', text: 'not an object' }]);
    expect(seen.map((r) => r.structured)).toEqual(['json_schema', 'tool', 'tool']);
    expect(seen[0].messages[0]).toEqual({ role: 'system', content: 'sys' });
  });

  it('sends http replies verbatim and reports handler errors as 500s', async () => {
    fake = await startFakeLlm((req) => {
      if (req.index === 1) throw new Error('script bug');
      return httpError(429, 'slow down', { 'retry-after': '3' });
    });
    const limited = await post('/v1/chat/completions', { model: 'm', messages: [] });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(await limited.json()).toEqual({ type: 'error', error: { type: 'api_error', message: 'slow down' } });
    const broken = await post('/v1/chat/completions', { model: 'm', messages: [] });
    expect(broken.status).toBe(500);
    expect(fake.handlerErrors.map((e) => e.message)).toEqual(['script bug']);
    expect(fake.outcomes).toEqual({ 429: 1, 500: 1 });
  });

  it('answers unknown routes with 404', async () => {
    fake = await startFakeLlm(() => 'x');
    expect((await post('/v1/completions', {})).status).toBe(404);
    expect(fake.requests[0].outcome).toBe(404);
  });

  it('can reset a connection or hang, and still stops promptly', async () => {
    fake = await startFakeLlm((req) => (req.index === 0 ? { kind: 'reset' } : { kind: 'hang' }));
    await expect(post('/v1/messages', { model: 'm', messages: [] })).rejects.toThrow();
    await expect(
      post('/v1/messages', { model: 'm', messages: [] }, { signal: AbortSignal.timeout(100) }),
    ).rejects.toThrow();
    const pending = post('/v1/messages', { model: 'm', messages: [] }).catch(() => 'closed');
    await new Promise((r) => setTimeout(r, 50));
    await fake.stop();
    expect(await pending).toBe('closed');
    expect(fake.outcomes).toEqual({ reset: 1, hang: 2 });
    fake = undefined;
  });

  it('clear() forgets requests and counts but keeps the handler', async () => {
    fake = await startFakeLlm(() => 'x');
    await post('/v1/chat/completions', { model: 'm', messages: [] });
    fake.clear();
    expect(fake.requests).toEqual([]);
    expect(fake.outcomes).toEqual({});
    await post('/v1/chat/completions', { model: 'm', messages: [] });
    expect(fake.requests[0].index).toBe(0);
  });
});

describe('script helpers', () => {
  const req = (content: string): FakeLlmRequest => ({
    provider: 'openai',
    index: 0,
    path: '',
    model: 'm',
    structured: 'none',
    headers: {},
    body: {},
    messages: [{ role: 'user', content }],
  });

  it('read a labeling batch and a generation ask back out of the prompt', () => {
    expect(batchTexts(req('Label these.\n\n<texts>\n1. "a \\"b\\""\n2. "c\\nd"\n</texts>\n'))).toEqual([
      'a "b"',
      'c\nd',
    ]);
    expect(batchTexts(req('no batch here'))).toBeUndefined();
    expect(generationAsk(req('Write 3 different texts whose correct label is "bug".\nmore'))).toEqual({
      label: 'bug',
      n: 3,
    });
  });
});
