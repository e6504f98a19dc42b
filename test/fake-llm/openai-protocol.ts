import type { FakeLlmRequest, FakeMessage, StructuredMode } from './types.js';

/** OpenAI Chat Completions (`POST /v1/chat/completions`), non-streaming. */

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((p) => (p && typeof p === 'object' && typeof p.text === 'string' ? p.text : '')).join('');
  }
  return '';
}

export function parseOpenAiRequest(
  body: any,
): Pick<FakeLlmRequest, 'model' | 'messages' | 'schema' | 'structured' | 'toolName'> {
  const messages: FakeMessage[] = (body.messages ?? []).map((m: any): FakeMessage => {
    const role = m.role === 'developer' ? 'system' : m.role;
    const calls = Array.isArray(m.tool_calls) ? m.tool_calls.map((c: any) => c.function?.arguments ?? '').join('') : '';
    return { role, content: textOf(m.content) || calls };
  });
  let structured: StructuredMode = 'none';
  let schema: unknown;
  let toolName: string | undefined;
  const format = body.response_format;
  if (format?.type === 'json_schema') {
    structured = 'json_schema';
    schema = format.json_schema?.schema;
  } else if (format?.type === 'json_object') {
    structured = 'json_object';
  }
  const forced = body.tool_choice?.type === 'function' ? body.tool_choice.function?.name : undefined;
  if (forced || (body.tool_choice === 'required' && body.tools?.length === 1)) {
    toolName = forced ?? body.tools[0].function?.name;
    structured = 'tool';
    schema = body.tools?.find((t: any) => t.function?.name === toolName)?.function?.parameters;
  }
  return { model: body.model ?? '', messages, schema, structured, toolName };
}

export function openAiAnswer(
  req: FakeLlmRequest,
  text: string,
  finishReason: 'stop' | 'length',
  usage: { input: number; output: number },
): object {
  const message =
    req.structured === 'tool'
      ? {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: `call_fake_${req.index}`, type: 'function', function: { name: req.toolName, arguments: text } },
          ],
        }
      : { role: 'assistant', content: text };
  return {
    id: `chatcmpl-fake-${req.index}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: req.model,
    choices: [
      {
        index: 0,
        message,
        finish_reason: finishReason === 'length' ? 'length' : req.structured === 'tool' ? 'tool_calls' : 'stop',
      },
    ],
    usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output },
  };
}
