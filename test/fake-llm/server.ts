import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicAnswer, parseAnthropicRequest } from './anthropic-protocol.js';
import { openAiAnswer, parseOpenAiRequest } from './openai-protocol.js';
import { handleBatchRequest, newBatchState, type FakeBatchState } from './batch.js';
import type { FakeHandler, FakeLlmRequest, FakeProvider, FakeReply, RecordedRequest } from './types.js';

/**
 * A fake LLM provider on 127.0.0.1 for tests: real HTTP, real SDK clients, scripted answers.
 * Speaks OpenAI Chat Completions and Anthropic Messages; a handler decides each reply.
 */
export interface FakeLlm {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `${url}/v1`: the base URL for either provider's client. */
  readonly baseUrl: string;
  /** Every request received, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Replies sent, by outcome: `"200"`, `"429"`, `"reset"`, `"hang"`, ... */
  readonly outcomes: Record<string, number>;
  /** Most requests that were being handled at the same moment. */
  readonly maxInFlight: number;
  /** Errors thrown by the handler (each was answered with a 500 naming it). */
  readonly handlerErrors: Error[];
  /** The batch APIs (OpenAI Batch, Anthropic Message Batches): their settings and the batches created. */
  readonly batch: FakeBatchState;
  handler: FakeHandler;
  /** Forgets recorded requests and counts; the handler stays. */
  clear(): void;
  stop(): Promise<void>;
}

const ROUTES: Record<string, FakeProvider> = {
  '/v1/chat/completions': 'openai',
  '/v1/messages': 'anthropic',
};

/** Rough token count, so usage numbers are plausible and non-zero. */
const tokens = (chars: number) => Math.max(1, Math.ceil(chars / 4));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function normalize(reply: FakeReply): Exclude<FakeReply, string> {
  return typeof reply === 'string' ? { kind: 'answer', text: reply } : reply;
}

export async function startFakeLlm(
  handler: FakeHandler = () => ({ kind: 'http', status: 501, body: { error: { message: 'no handler scripted' } } }),
): Promise<FakeLlm> {
  const requests: RecordedRequest[] = [];
  const outcomes: Record<string, number> = {};
  const handlerErrors: Error[] = [];
  const batch = newBatchState();
  let inFlight = 0;
  let maxInFlight = 0;

  const state = {
    handler,
    count(record: RecordedRequest, outcome: number | 'reset' | 'hang') {
      record.outcome = outcome;
      outcomes[String(outcome)] = (outcomes[String(outcome)] ?? 0) + 1;
    },
  };

  const sendJson = (
    res: ServerResponse,
    record: RecordedRequest,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    state.count(record, status);
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(text);
  };

  const server = createServer(async (req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    const raw = await readBody(req);
    let body: unknown = raw;
    try {
      body = JSON.parse(raw);
    } catch {
      // Kept as text: a test may want to see what a broken client sent.
    }
    const path = (req.url ?? '').split('?')[0];
    const record: RecordedRequest = {
      index: requests.length,
      method: req.method ?? '',
      path,
      headers: req.headers,
      body,
    };
    requests.push(record);

    const batchReply = await handleBatchRequest(
      { method: req.method ?? '', path, headers: req.headers, raw },
      batch,
      () => state.handler,
      () => requests.length,
    );
    if (batchReply) {
      state.count(record, batchReply.status);
      const text = typeof batchReply.body === 'string' ? batchReply.body : JSON.stringify(batchReply.body);
      res.writeHead(batchReply.status, { 'content-type': batchReply.contentType ?? 'application/json' });
      res.end(text);
      return;
    }

    const provider = ROUTES[path];
    if (req.method !== 'POST' || !provider) {
      sendJson(res, record, 404, {
        type: 'error',
        error: { type: 'not_found_error', message: `no route ${req.method} ${path}` },
      });
      return;
    }

    const parsed = provider === 'openai' ? parseOpenAiRequest(body) : parseAnthropicRequest(body);
    const fakeReq: FakeLlmRequest = { provider, index: record.index, path, headers: req.headers, body, ...parsed };
    let reply: Exclude<FakeReply, string>;
    try {
      reply = normalize(await state.handler(fakeReq));
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      handlerErrors.push(error);
      sendJson(res, record, 500, {
        type: 'error',
        error: { type: 'api_error', message: `fake handler threw: ${error.message}` },
      });
      return;
    }

    if (reply.kind === 'hang') {
      state.count(record, 'hang');
      return;
    }
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (reply.kind === 'reset') {
      state.count(record, 'reset');
      req.socket.destroy();
      return;
    }
    if (reply.kind === 'http') {
      sendJson(res, record, reply.status, reply.body ?? '', reply.headers);
      return;
    }
    const finish = reply.finishReason ?? 'stop';
    const promptChars = fakeReq.messages.reduce((n, m) => n + m.content.length, 0);
    const usage = {
      input: reply.usage?.input ?? tokens(promptChars),
      output: reply.usage?.output ?? tokens(reply.text.length),
    };
    const answer =
      provider === 'openai'
        ? openAiAnswer(fakeReq, reply.text, finish, usage)
        : anthropicAnswer(fakeReq, reply.text, finish, usage);
    sendJson(res, record, 200, answer);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    baseUrl: `${url}/v1`,
    requests,
    outcomes,
    get maxInFlight() {
      return maxInFlight;
    },
    handlerErrors,
    batch,
    get handler() {
      return state.handler;
    },
    set handler(h: FakeHandler) {
      state.handler = h;
    },
    clear() {
      requests.length = 0;
      for (const k of Object.keys(outcomes)) delete outcomes[k];
      handlerErrors.length = 0;
      maxInFlight = inFlight;
    },
    stop() {
      // Hung requests would otherwise keep close() waiting forever.
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}
