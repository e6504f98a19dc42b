import type { IncomingHttpHeaders } from 'node:http';

export type FakeProvider = 'openai' | 'anthropic';

/** One message of the conversation, content flattened to text (tool calls as their JSON arguments). */
export interface FakeMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
}

/**
 * How the client asked for structured output, so the answer goes back the same way:
 * `json_schema` (OpenAI response_format, Anthropic output_config.format), `json_object`
 * (OpenAI JSON mode without a schema), `tool` (a forced tool call whose input is the answer).
 */
export type StructuredMode = 'none' | 'json_schema' | 'json_object' | 'tool';

/** A request as the handler sees it: the provider's wire format normalized to one shape. */
export interface FakeLlmRequest {
  provider: FakeProvider;
  /** 0-based position among all requests this server received. */
  index: number;
  path: string;
  model: string;
  /** System prompt first (when there is one), then the conversation. */
  messages: FakeMessage[];
  /** JSON schema the answer should follow, when the client sent one. */
  schema?: unknown;
  structured: StructuredMode;
  /** Name of the forced tool, when `structured` is `tool`. */
  toolName?: string;
  headers: IncomingHttpHeaders;
  /** The parsed request body, as sent. */
  body: any;
}

/**
 * What the server does with a request. A plain string is shorthand for `{ kind: 'answer', text }`.
 * - `answer`: a 200 in the provider's format; `text` is the model output (for a tool-mode
 *   request it becomes the tool call's input when it parses as a JSON object).
 * - `http`: any status, headers and body, sent verbatim (errors, 429 with retry-after, garbage).
 * - `reset`: the connection is destroyed without a response.
 * - `hang`: the request is accepted and never answered (until the server stops).
 * `delayMs` waits before acting, e.g. to keep requests in flight together.
 */
export type FakeReply =
  | string
  | {
      kind: 'answer';
      text: string;
      finishReason?: 'stop' | 'length';
      usage?: { input?: number; output?: number };
      delayMs?: number;
    }
  | { kind: 'http'; status: number; headers?: Record<string, string>; body?: string | object; delayMs?: number }
  | { kind: 'reset'; delayMs?: number }
  | { kind: 'hang' };

export type FakeHandler = (req: FakeLlmRequest) => FakeReply | Promise<FakeReply>;

/** Every request the server received, as it arrived. */
export interface RecordedRequest {
  index: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
  /** What the server answered: an HTTP status, or `reset` / `hang`. */
  outcome?: number | 'reset' | 'hang';
}
