import type { IncomingHttpHeaders } from 'node:http';
import { anthropicAnswer, parseAnthropicRequest } from './anthropic-protocol.js';
import { openAiAnswer, parseOpenAiRequest } from './openai-protocol.js';
import type { FakeHandler, FakeLlmRequest, FakeProvider } from './types.js';

/**
 * The providers' batch APIs, faked: OpenAI's Files + Batches (upload a JSONL of requests, create a
 * batch, poll it, download the output and error files) and Anthropic's Message Batches (create with
 * the requests inline, poll, download results). Each item is answered by the server's handler, as
 * an online request would be, once the batch has been polled `pollsUntilDone` times. `outcome` can
 * make an item fail or expire, to test that the client retries it instead of dropping it.
 */
export interface FakeBatchSettings {
  /** Polls that see the batch in progress before it is done. */
  pollsUntilDone: number;
  /** An item's fate: default succeeded. */
  outcome?: (customId: string, index: number) => 'succeeded' | 'errored' | 'expired';
}

export interface FakeBatch {
  id: string;
  provider: FakeProvider;
  items: { customId: string; body: any }[];
  polls: number;
  /** Filled in when the batch ends: per custom id, the provider-format body or the failure. */
  results?: Map<string, { status: 'succeeded' | 'errored' | 'expired'; body?: object }>;
}

export interface FakeBatchState {
  settings: FakeBatchSettings;
  batches: FakeBatch[];
  files: Map<string, string>;
}

export function newBatchState(): FakeBatchState {
  return { settings: { pollsUntilDone: 1 }, batches: [], files: new Map() };
}

export interface BatchHttpRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
}

export interface BatchHttpReply {
  status: number;
  body: string | object;
  contentType?: string;
}

const tokens = (chars: number) => Math.max(1, Math.ceil(chars / 4));

/** Answers a batch-API request, or returns undefined when the path is not one of them. */
export async function handleBatchRequest(
  req: BatchHttpRequest,
  state: FakeBatchState,
  handler: () => FakeHandler,
  nextIndex: () => number,
): Promise<BatchHttpReply | undefined> {
  const { method, path } = req;
  if (method === 'POST' && path === '/v1/files') return uploadFile(req, state);
  let m = /^\/v1\/files\/([^/]+)\/content$/.exec(path);
  if (method === 'GET' && m) {
    const content = state.files.get(m[1]);
    return content === undefined
      ? { status: 404, body: { error: { message: `no file ${m[1]}` } } }
      : { status: 200, body: content, contentType: 'application/jsonl' };
  }
  if (method === 'POST' && path === '/v1/batches') return createOpenAiBatch(req, state);
  m = /^\/v1\/batches\/([^/]+)$/.exec(path);
  if (method === 'GET' && m) return pollBatch(state, m[1], 'openai', handler, nextIndex);
  if (method === 'POST' && path === '/v1/messages/batches') return createAnthropicBatch(req, state);
  m = /^\/v1\/messages\/batches\/([^/]+)$/.exec(path);
  if (method === 'GET' && m) return pollBatch(state, m[1], 'anthropic', handler, nextIndex);
  m = /^\/v1\/messages\/batches\/([^/]+)\/results$/.exec(path);
  if (method === 'GET' && m) return anthropicResults(state, m[1]);
  return undefined;
}

/** The `file` part of a multipart/form-data upload. */
function multipartFile(req: BatchHttpRequest): string | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(String(req.headers['content-type'] ?? ''));
  if (!boundary) return undefined;
  const parts = req.raw.split(`--${boundary[1] ?? boundary[2]}`);
  for (const part of parts) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const head = part.slice(0, split);
    if (/name="file"/.test(head)) return part.slice(split + 4).replace(/\r\n$/, '');
  }
  return undefined;
}

function uploadFile(req: BatchHttpRequest, state: FakeBatchState): BatchHttpReply {
  const content = multipartFile(req);
  if (content === undefined) return { status: 400, body: { error: { message: 'expected a multipart file upload' } } };
  const id = `file-fake-${state.files.size + 1}`;
  state.files.set(id, content);
  return { status: 200, body: { id, object: 'file', purpose: 'batch', bytes: content.length } };
}

function createOpenAiBatch(req: BatchHttpRequest, state: FakeBatchState): BatchHttpReply {
  const body = JSON.parse(req.raw);
  const content = state.files.get(body.input_file_id);
  if (content === undefined) return { status: 400, body: { error: { message: `no file ${body.input_file_id}` } } };
  const items = content
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const line = JSON.parse(l);
      return { customId: line.custom_id as string, body: line.body };
    });
  const batch: FakeBatch = { id: `batch_fake_${state.batches.length + 1}`, provider: 'openai', items, polls: 0 };
  state.batches.push(batch);
  return { status: 200, body: openAiBatchObject(batch) };
}

function createAnthropicBatch(req: BatchHttpRequest, state: FakeBatchState): BatchHttpReply {
  const body = JSON.parse(req.raw);
  const items = (body.requests as { custom_id: string; params: object }[]).map((r) => ({
    customId: r.custom_id,
    body: r.params,
  }));
  const batch: FakeBatch = { id: `msgbatch_fake_${state.batches.length + 1}`, provider: 'anthropic', items, polls: 0 };
  state.batches.push(batch);
  return { status: 200, body: anthropicBatchObject(batch) };
}

async function pollBatch(
  state: FakeBatchState,
  id: string,
  provider: FakeProvider,
  handler: () => FakeHandler,
  nextIndex: () => number,
): Promise<BatchHttpReply> {
  const batch = state.batches.find((b) => b.id === id && b.provider === provider);
  if (!batch) return { status: 404, body: { error: { message: `no batch ${id}` } } };
  batch.polls++;
  if (!batch.results && batch.polls > state.settings.pollsUntilDone) await finish(batch, state, handler, nextIndex);
  if (provider === 'openai' && batch.results && !state.files.has(`${batch.id}-output`)) writeOpenAiFiles(batch, state);
  return { status: 200, body: provider === 'openai' ? openAiBatchObject(batch) : anthropicBatchObject(batch) };
}

async function finish(
  batch: FakeBatch,
  state: FakeBatchState,
  handler: () => FakeHandler,
  nextIndex: () => number,
): Promise<void> {
  const results = new Map<string, { status: 'succeeded' | 'errored' | 'expired'; body?: object }>();
  for (const [i, item] of batch.items.entries()) {
    const fate = state.settings.outcome?.(item.customId, i) ?? 'succeeded';
    if (fate !== 'succeeded') {
      results.set(item.customId, { status: fate });
      continue;
    }
    const parsed = batch.provider === 'openai' ? parseOpenAiRequest(item.body) : parseAnthropicRequest(item.body);
    const path = batch.provider === 'openai' ? '/v1/chat/completions' : '/v1/messages';
    const fakeReq: FakeLlmRequest = {
      provider: batch.provider,
      index: nextIndex(),
      path,
      headers: {},
      body: item.body,
      ...parsed,
    };
    const reply = await handler()(fakeReq);
    const answer = typeof reply === 'string' ? { kind: 'answer' as const, text: reply } : reply;
    if (answer.kind !== 'answer') {
      results.set(item.customId, { status: 'errored' });
      continue;
    }
    const promptChars = fakeReq.messages.reduce((n, msg) => n + msg.content.length, 0);
    const usage = {
      input: answer.usage?.input ?? tokens(promptChars),
      output: answer.usage?.output ?? tokens(answer.text.length),
    };
    const finishReason = answer.finishReason ?? 'stop';
    results.set(item.customId, {
      status: 'succeeded',
      body:
        batch.provider === 'openai'
          ? openAiAnswer(fakeReq, answer.text, finishReason, usage)
          : anthropicAnswer(fakeReq, answer.text, finishReason, usage),
    });
  }
  batch.results = results;
}

function writeOpenAiFiles(batch: FakeBatch, state: FakeBatchState): void {
  const out: string[] = [];
  const errors: string[] = [];
  for (const [customId, r] of batch.results!) {
    if (r.status === 'succeeded') {
      out.push(
        JSON.stringify({
          id: `req-${customId}`,
          custom_id: customId,
          response: { status_code: 200, body: r.body },
          error: null,
        }),
      );
    } else {
      const code = r.status === 'expired' ? 'batch_expired' : 'server_error';
      errors.push(
        JSON.stringify({
          id: `req-${customId}`,
          custom_id: customId,
          response: null,
          error: { code, message: `fake ${r.status}` },
        }),
      );
    }
  }
  state.files.set(`${batch.id}-output`, out.join('\n'));
  state.files.set(`${batch.id}-errors`, errors.join('\n'));
}

function openAiBatchObject(batch: FakeBatch): object {
  const done = batch.results !== undefined;
  const failed = done ? [...batch.results!.values()].filter((r) => r.status !== 'succeeded').length : 0;
  return {
    id: batch.id,
    object: 'batch',
    endpoint: '/v1/chat/completions',
    status: done ? 'completed' : batch.polls === 0 ? 'validating' : 'in_progress',
    output_file_id: done ? `${batch.id}-output` : null,
    error_file_id: done ? `${batch.id}-errors` : null,
    request_counts: { total: batch.items.length, completed: done ? batch.items.length - failed : 0, failed },
  };
}

function anthropicBatchObject(batch: FakeBatch): object {
  const done = batch.results !== undefined;
  const count = (s: string) => (done ? [...batch.results!.values()].filter((r) => r.status === s).length : 0);
  return {
    id: batch.id,
    type: 'message_batch',
    processing_status: done ? 'ended' : 'in_progress',
    request_counts: {
      processing: done ? 0 : batch.items.length,
      succeeded: count('succeeded'),
      errored: count('errored'),
      canceled: 0,
      expired: count('expired'),
    },
    results_url: done ? `/v1/messages/batches/${batch.id}/results` : null,
  };
}

function anthropicResults(state: FakeBatchState, id: string): BatchHttpReply {
  const batch = state.batches.find((b) => b.id === id && b.provider === 'anthropic');
  if (!batch?.results) return { status: 404, body: { error: { message: `batch ${id} has no results yet` } } };
  const lines = [...batch.results].map(([customId, r]) =>
    JSON.stringify({
      custom_id: customId,
      result:
        r.status === 'succeeded'
          ? { type: 'succeeded', message: r.body }
          : r.status === 'expired'
            ? { type: 'expired' }
            : { type: 'errored', error: { type: 'api_error', message: 'fake error' } },
    }),
  );
  return { status: 200, body: lines.join('\n'), contentType: 'application/jsonl' };
}
