import { afterEach, describe, expect, it } from 'vitest';
import { batchTexts, httpError, labelingAnswer, type FakeHandler, type FakeReply } from '../../test/fake-llm/index.js';
import { llmFixture, type LlmFixture } from '../../test/fake-llm/llm-fixture.js';
import { TeacherCallError } from '../errors.js';
import { textId } from '../util/hash.js';
import type { LabelInput } from './types.js';

const inputs = (texts: string[]): LabelInput[] => texts.map((text) => ({ id: textId(text), text }));
const good: FakeHandler = (req) => labelingAnswer(req, { answer: () => 'other' });

/** Replies from `script` in order, then behaves. */
function scripted(...script: FakeReply[]): FakeHandler {
  let i = 0;
  return (req) => (i < script.length ? script[i++] : good(req));
}

let fx: LlmFixture | undefined;
afterEach(async () => {
  await fx?.stop();
  fx = undefined;
});

async function callError(promise: Promise<unknown>): Promise<TeacherCallError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TeacherCallError);
  return error as TeacherCallError;
}

describe("LlmTeacher transport: retries are the SDK's, failures are TeacherCallError", () => {
  it('retries a 429 after the retry-after the server asked for, and counts both requests', async () => {
    fx = await llmFixture(scripted(httpError(429, 'slow down', { 'retry-after-ms': '20' })));
    const results = await fx.teacher.label(inputs(['a', 'b']));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(fx.fake.outcomes).toEqual({ 200: 1, 429: 1 });
    expect(fx.gate.totals()).toMatchObject({ httpRequests: 2, paidRequests: 1 });
    expect(fx.events.filter((e) => e.type === 'teacher-retry')).toEqual([
      { type: 'teacher-retry', attempt: 1, reason: 'HTTP 429', delayMs: 20 },
    ]);
  });

  it('gives up after maxRetries with a retryable TeacherCallError carrying the status', async () => {
    fx = await llmFixture(() => httpError(503, 'overloaded', { 'retry-after': '0' }), { settings: { maxRetries: 2 } });
    const error = await callError(fx.teacher.label(inputs(['a'])));
    expect(error).toMatchObject({ isRetryable: true, status: 503, code: 'teacher-call' });
    expect(error.message).toMatch(/openai:gpt-4o-mini request failed with HTTP 503 after 3 attempts: overloaded/);
    expect(fx.fake.requests).toHaveLength(3);
    // Nothing was paid for, so nothing is cached and the next identical call may try again.
    expect(fx.gate.totals().calls).toBe(0);
  });

  it('does not retry a 400 and says so', async () => {
    fx = await llmFixture(() => httpError(400, 'bad request: max_tokens too large'));
    const error = await callError(fx.teacher.label(inputs(['a'])));
    expect(error).toMatchObject({ isRetryable: false, status: 400 });
    expect(fx.fake.requests).toHaveLength(1);
  });

  it('hints at the model name and base URL on a 404', async () => {
    fx = await llmFixture(() => httpError(404, 'model not found'));
    const error = await callError(fx.teacher.label(inputs(['a'])));
    expect(error.hint).toContain('gpt-4o-mini');
    expect(error.hint).toContain(fx.fake.baseUrl);
  });

  it('retries a connection reset', async () => {
    fx = await llmFixture(scripted({ kind: 'reset' }));
    const results = await fx.teacher.label(inputs(['a']));
    expect(results[0].ok).toBe(true);
    expect(fx.fake.outcomes).toEqual({ reset: 1, 200: 1 });
    expect(fx.gate.totals()).toMatchObject({ httpRequests: 2, paidRequests: 1 });
  });

  it('times out a hung request per attempt and retries it', async () => {
    fx = await llmFixture(scripted({ kind: 'hang' }), { settings: { timeoutMs: 300, maxRetries: 1 } });
    const results = await fx.teacher.label(inputs(['a']));
    expect(results[0].ok).toBe(true);
    expect(fx.fake.outcomes).toEqual({ hang: 1, 200: 1 });
    expect(fx.events.find((e) => e.type === 'teacher-retry')).toMatchObject({ reason: 'timeout' });
  });

  it('reports a request that keeps hanging as a retryable timeout', async () => {
    fx = await llmFixture(() => ({ kind: 'hang' }), { settings: { timeoutMs: 200, maxRetries: 0 } });
    const error = await callError(fx.teacher.label(inputs(['a'])));
    expect(error.isRetryable).toBe(true);
    expect(error.message).toMatch(/200 ms/);
  });

  it('lets batches in flight finish and reach the cache when another batch fails', async () => {
    fx = await llmFixture(
      (req) =>
        batchTexts(req)?.includes('poison')
          ? httpError(400, 'no')
          : { kind: 'answer', text: labelingAnswer(req, { answer: () => 'bug' }), delayMs: 100 },
      { settings: { batchSize: 1, concurrency: 2 } },
    );
    await callError(fx.teacher.label(inputs(['fine', 'poison', 'never sent'])));
    expect(fx.fake.requests).toHaveLength(2);
    expect(fx.gate.totals()).toMatchObject({ calls: 1, answers: 1 });
    const again = fx.rerun();
    expect(await again.teacher.label(inputs(['fine']))).toMatchObject([{ ok: true, labels: ['bug'] }]);
    expect(again.gate.totals().cacheHits).toBe(1);
  });

  it('keeps a paid but unusable answer when asking again fails', async () => {
    fx = await llmFixture(scripted('this is not json', httpError(400, 'no')));
    const results = await fx.teacher.label(inputs(['a', 'b']));
    expect(results.map((r) => !r.ok && r.raw)).toEqual(['this is not json', 'this is not json']);
    expect(fx.gate.totals()).toMatchObject({ calls: 1, httpRequests: 2, paidRequests: 1 });
  });
});
