import type { FakeLlmRequest, FakeMessage, StructuredMode } from './types.js';

/** Anthropic Messages (`POST /v1/messages`), non-streaming. */

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((b: any) => {
      if (b?.type === 'text') return b.text ?? '';
      if (b?.type === 'tool_use') return JSON.stringify(b.input ?? {});
      if (b?.type === 'tool_result') return textOf(b.content);
      return '';
    })
    .join('');
}

export function parseAnthropicRequest(
  body: any,
): Pick<FakeLlmRequest, 'model' | 'messages' | 'schema' | 'structured' | 'toolName'> {
  const messages: FakeMessage[] = [];
  const system = textOf(body.system);
  if (system) messages.push({ role: 'system', content: system });
  for (const m of body.messages ?? []) messages.push({ role: m.role, content: textOf(m.content) });

  let structured: StructuredMode = 'none';
  let schema: unknown;
  let toolName: string | undefined;
  if (body.output_config?.format?.type === 'json_schema') {
    structured = 'json_schema';
    schema = body.output_config.format.schema;
  }
  const choice = body.tool_choice;
  const forced =
    choice?.type === 'tool'
      ? choice.name
      : choice?.type === 'any' && body.tools?.length === 1
        ? body.tools[0].name
        : undefined;
  if (forced) {
    structured = 'tool';
    toolName = forced;
    schema = body.tools?.find((t: any) => t.name === forced)?.input_schema;
  }
  return { model: body.model ?? '', messages, schema, structured, toolName };
}

function parsesAsObject(text: string): object | undefined {
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

export function anthropicAnswer(
  req: FakeLlmRequest,
  text: string,
  finishReason: 'stop' | 'length',
  usage: { input: number; output: number },
): object {
  // A tool call's input must be an object; text that is not one (malformed-JSON scripts) goes
  // back as a text block, as a model ignoring the tool would send it.
  const input = req.structured === 'tool' ? parsesAsObject(text) : undefined;
  const content = input
    ? [{ type: 'tool_use', id: `toolu_fake_${req.index}`, name: req.toolName, input }]
    : [{ type: 'text', text }];
  return {
    id: `msg_fake_${req.index}`,
    type: 'message',
    role: 'assistant',
    model: req.model,
    content,
    stop_reason: finishReason === 'length' ? 'max_tokens' : input ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: usage.input, output_tokens: usage.output },
  };
}
