import { afterEach, describe, expect, it, vi } from 'vitest';
import { TeacherCallError } from '../../src/errors.js';
import type { GateCall } from '../../src/teacher/call-gate.js';
import { RateLimiter } from '../../src/teacher/rate-limit.js';
import { textId } from '../../src/util/hash.js';
import { withFaults, type FaultKind } from '../fake-llm/faults.js';
import { llmFixture, type LlmFixture } from '../fake-llm/llm-fixture.js';
import { fakeTeacher, httpError, isCorrection } from '../fake-llm/scripts.js';
import type { FakeHandler } from '../fake-llm/types.js';

const TEXTS = ['I was charged twice', 'The app crashes on start', 'Where is your office?'];
const inputs = TEXTS.map((text) => ({ id: textId(text), text }));
const good = fakeTeacher({ answer: () => 'other' });
const always = (kind: FaultKind) => withFaults(good, { rate: 1, kinds: { [kind]: 1 } });
const FAST = { retryBaseMs: 1 };

let fx: LlmFixture | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await fx?.stop();
  fx = undefined;
});

describe('LlmTeacher under faults: every 200 is in the ledger', () => {
  it('records the billed requests of a call that fails in the end (cut-off 200s, then 500s)', async () => {
    const cut = always('truncated-body');
    fx = await llmFixture((req) => (req.index < 2 ? cut.handler(req) : httpError(500, 'internal error')), {
      settings: { ...FAST, maxRetries: 3 },
    });
    const error = await fx.teacher.label(inputs).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TeacherCallError);
    expect((error as TeacherCallError).message).toMatch(/HTTP 500 after 4 attempts/);
    expect(fx.fake.outcomes).toEqual({ 200: 2, 500: 2 });
    expect(fx.gate.totals()).toMatchObject({ calls: 1, answers: 0, httpRequests: 4, paidRequests: 2 });
    expect(fx.gate.used().answers).toBe(0);
    // Nothing was cached: asking again is a fresh call on the same sample, and it is paid once more.
    fx.fake.handler = good;
    expect((await fx.teacher.label(inputs)).every((r) => r.ok)).toBe(true);
    expect(fx.gate.totals()).toMatchObject({ calls: 2, answers: 3, paidRequests: 3 });
    expect(fx.gate.totals().paidRequests).toBe(fx.fake.outcomes['200']);
  });

  it('asks again after every kind of unusable answer and recovers the answer a clean call gets', async () => {
    for (const kind of ['truncated-body', 'truncated-answer', 'schema-break', 'empty-answer'] as const) {
      const faults = withFaults(good, {
        rate: 1,
        kinds: { [kind]: 1 },
        spare: (req) => isCorrection(req) || req.index > 0,
      });
      fx = await llmFixture(faults.handler, { settings: FAST });
      const results = await fx.teacher.label(inputs);
      expect(
        results.map((r) => r.ok && r.labels),
        kind,
      ).toEqual([['other'], ['other'], ['other']]);
      expect(fx.fake.outcomes, kind).toEqual({ 200: 2 });
      expect(fx.gate.totals(), kind).toMatchObject({ calls: 1, httpRequests: 2, paidRequests: 2 });
      await fx.stop();
      fx = undefined;
    }
  });

  it('keeps answers that stay unusable as rejected rows with their raw text, each attempt paid', async () => {
    fx = await llmFixture(always('schema-break').handler, { settings: { ...FAST, maxOutputRetries: 2 } });
    const results = await fx.teacher.label(inputs);
    for (const r of results)
      expect(r).toMatchObject({
        ok: false,
        raw: expect.stringContaining('"result"'),
        reason: expect.stringContaining('"items"'),
      });
    expect(fx.teacher.stats()).toMatchObject({ rejectedRows: 3, retries: 2 });
    expect(fx.fake.outcomes).toEqual({ 200: 3 });
    expect(fx.gate.totals()).toMatchObject({ calls: 1, answers: 3, paidRequests: 3 });
  });

  it('keeps a label outside the set as a rejected row without asking again', async () => {
    fx = await llmFixture(always('bad-label').handler, { settings: FAST });
    const results = await fx.teacher.label(inputs);
    expect(results.map((r) => r.ok)).toEqual([false, true, true]);
    expect(results[0]).toMatchObject({ raw: expect.stringContaining('not-a-label') });
    expect(fx.fake.outcomes).toEqual({ 200: 1 });
  });

  it('keeps the cap and the ledger exact with 8 calls in flight and 30% faults of every kind', async () => {
    // Answers take a moment, so the calls really overlap at the server.
    const faults = withFaults((req) => ({ kind: 'answer', text: good(req) as string, delayMs: 10 }), {
      rate: 0.3,
      seed: 9,
    });
    fx = await llmFixture(faults.handler, {
      settings: { ...FAST, batchSize: 1, concurrency: 8, maxRetries: 12, maxOutputRetries: 5, timeoutMs: 2000 },
      budget: { answers: 40 },
    });
    const many = Array.from({ length: 60 }, (_, i) => ({ id: textId(`t${i}`), text: `message number ${i}` }));
    // More work than the cap allows, asked for in parallel: some label() calls are refused whole.
    const settled = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => fx!.teacher.label(many.slice(i * 5, i * 5 + 5))),
    );
    expect(settled.filter((s) => s.status === 'fulfilled').length).toBe(8);
    expect(fx.gate.used().answers).toBe(40);
    expect(fx.gate.totals()).toMatchObject({
      answers: 40,
      paidRequests: fx.fake.outcomes['200'],
      httpRequests: fx.fake.requests.length,
    });
    expect(faults.injected.none).toBeLessThan(fx.fake.requests.length);
    expect(fx.fake.maxInFlight).toBeGreaterThan(4);
  });
});

describe('LlmTeacher under faults: re-asks stay inside the token cap', () => {
  it('does not send a re-ask whose worst case the token cap cannot take, and keeps the unusable answer', async () => {
    const maxOutputTokens = 400;
    // First learn the gate's worst case for this call, then allow 2.5 of them.
    let estimate: GateCall['estimate'] | undefined;
    const probe = await llmFixture(good, { settings: { ...FAST, maxOutputTokens } });
    const run = probe.gate.run.bind(probe.gate);
    probe.gate.run = (call) => ((estimate = call.estimate), run(call));
    await probe.teacher.label(inputs);
    await probe.stop();
    const worst = estimate!.inputTokens + estimate!.maxOutputTokens;
    const cap = Math.floor(2.5 * worst);

    // Every answer is unusable and reports the worst case as its usage: without the check,
    // 1 + maxOutputRetries attempts would use 6 worst cases.
    const broken: FakeHandler = () => ({
      kind: 'answer',
      text: '{"nope": true}',
      usage: { input: estimate!.inputTokens, output: maxOutputTokens },
    });
    fx = await llmFixture(broken, {
      settings: { ...FAST, maxOutputTokens, maxOutputRetries: 5 },
      budget: { tokens: cap },
    });
    const results = await fx.teacher.label(inputs);
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(fx.fake.requests).toHaveLength(2);
    expect(fx.gate.used().tokens).toBeLessThanOrEqual(cap);
    expect(fx.gate.totals()).toMatchObject({
      paidRequests: 2,
      inputTokens: 2 * estimate!.inputTokens,
      outputTokens: 2 * maxOutputTokens,
    });
  });
});

describe('LlmTeacher rate limits', () => {
  it('takes every HTTP attempt, retries and re-asks included, through one limiter per teacher', async () => {
    const acquire = vi.spyOn(RateLimiter.prototype, 'acquire');
    const faults = withFaults(good, {
      rate: 0.5,
      seed: 4,
      kinds: { 'server-error': 1, reset: 1, 'rate-limit': 1, 'schema-break': 1 },
    });
    fx = await llmFixture(faults.handler, {
      settings: {
        ...FAST,
        batchSize: 1,
        maxRetries: 12,
        maxOutputRetries: 5,
        requestsPerMinute: 600_000,
        tokensPerMinute: 1e9,
      },
    });
    await fx.teacher.label(inputs);
    await fx.teacher.generate({ label: 'bug', n: 2 });
    expect(faults.injected.none).toBeLessThan(fx.fake.requests.length);
    expect(acquire).toHaveBeenCalledTimes(fx.fake.requests.length);
    expect(new Set(acquire.mock.contexts).size).toBe(1);
    // Each attempt asks for its prompt estimate plus the output allowance.
    for (const [tokens] of acquire.mock.calls) expect(tokens).toBeGreaterThan(2048);
  });

  it('has no limiter unless a limit is set', async () => {
    const acquire = vi.spyOn(RateLimiter.prototype, 'acquire');
    fx = await llmFixture(good, { settings: FAST });
    await fx.teacher.label(inputs);
    expect(acquire).not.toHaveBeenCalled();
  });
});
