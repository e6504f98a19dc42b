import { afterEach, describe, expect, it } from 'vitest';
import { httpError, labelingAnswer, type FakeHandler, type FakeLlm } from '../../test/fake-llm/index.js';
import { llmFixture } from '../../test/fake-llm/llm-fixture.js';
import { textId } from '../util/hash.js';
import { instrumentedFetch, type AttemptCounter, type RetryNotice } from './instrumented-fetch.js';
import type { Clock } from './rate-limit.js';

/**
 * Ctrl-C must not wait for `timeoutMs` or a back-off: attempts here may take longer than the test
 * timeout, so a stop that waited for one would fail the test, not pass slowly. (Back-off is capped
 * at a minute; the fetch tests below use a clock that never wakes by itself.)
 */
const LONG = { timeoutMs: 600_000, maxRetries: 5, retryBaseMs: 60_000 };

let fake: FakeLlm | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

async function setup(handler: FakeHandler, settings: Record<string, unknown> = {}) {
  const controller = new AbortController();
  const fx = await llmFixture(handler, { settings: { ...LONG, ...settings }, signal: controller.signal });
  fake = fx.fake;
  return { ...fx, controller };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

const inputs = (texts: string[]) => texts.map((text) => ({ id: textId(text), text }));

describe('LlmTeacher stops on its signal', () => {
  it('abandons a request in flight: an AbortError, one request, nothing cached or billed', async () => {
    let s: Awaited<ReturnType<typeof setup>> | undefined;
    s = await setup(() => {
      s!.controller.abort();
      return { kind: 'hang' };
    });
    const error = await rejection(s.teacher.label(inputs(['my card was charged twice'])));
    expect(error.name).toBe('AbortError');
    expect(error.cause).toBe(s.controller.signal.reason);
    expect(fake!.requests).toHaveLength(1);
    expect(s.cached).toEqual([]);
    expect(s.gate.ledger()).toEqual([]);
    expect(s.events.some((e) => e.type === 'teacher-retry')).toBe(false);
  });

  it('does not keep an unusable answer when stopped while asking again, but the ledger keeps what it cost', async () => {
    let s: Awaited<ReturnType<typeof setup>> | undefined;
    s = await setup(
      (req) => {
        if (req.index === 0) return '{"items": "not a list"}';
        s!.controller.abort();
        return { kind: 'hang' };
      },
      { maxOutputRetries: 3 },
    );
    const error = await rejection(s.teacher.label(inputs(['the app crashes on login'])));
    expect(error.name).toBe('AbortError');
    expect(fake!.requests).toHaveLength(2);
    // Without the stop, the unusable first answer would have been kept and cached as the call's.
    expect(s.cached).toEqual([]);
    expect(s.gate.ledger()).toEqual([
      expect.objectContaining({ answers: 0, cached: false, httpRequests: 2, paidRequests: 1 }),
    ]);
  });

  it('stops during the back-off wait before a retry, sending nothing more', async () => {
    const s = await setup(() => httpError(503, 'overloaded'));
    // Stopped once the first back-off (about a minute) has begun.
    s.emitter.on((e) => {
      if (e.type === 'teacher-retry') setImmediate(() => s.controller.abort());
    });
    const error = await rejection(s.teacher.label(inputs(['where is my refund'])));
    expect(error.name).toBe('AbortError');
    expect(fake!.requests).toHaveLength(1);
    expect(s.cached).toEqual([]);
  });

  it('sends nothing once stopped', async () => {
    const s = await setup((req) => labelingAnswer(req, { answer: () => 'other' }));
    s.controller.abort();
    const error = await rejection(s.teacher.label(inputs(['a', 'b', 'c'])));
    expect(error.name).toBe('AbortError');
    expect(fake!.requests).toHaveLength(0);
    expect(s.cached).toEqual([]);
  });
});

describe('instrumentedFetch stops on its own signal, without the caller passing one', () => {
  it("aborts a stalled attempt with the signal's reason and does not retry it", async () => {
    const controller = new AbortController();
    const counter: AttemptCounter = { http: 0, paid: 0, attempts: 0 };
    const notices: RetryNotice[] = [];
    const stalled = ((_input: unknown, init?: RequestInit) => {
      setImmediate(() => controller.abort(new Error('user pressed Ctrl-C')));
      return new Promise((_, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason), { once: true }),
      );
    }) as typeof globalThis.fetch;
    const fetch = instrumentedFetch({
      counter,
      ...LONG,
      onRetry: (n) => notices.push(n),
      fetch: stalled,
      signal: controller.signal,
    });
    await expect(fetch('http://x')).rejects.toThrow('user pressed Ctrl-C');
    expect(counter.http).toBe(1);
    expect(notices).toEqual([]);
  });

  it('cuts a back-off wait short', async () => {
    const controller = new AbortController();
    const counter: AttemptCounter = { http: 0, paid: 0, attempts: 0 };
    // Only a stop ends this clock's waits.
    const clock: Clock = {
      now: () => 0,
      sleep: (_ms, signal) =>
        new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true })),
    };
    const fetch = instrumentedFetch({
      counter,
      ...LONG,
      clock,
      onRetry: () => setImmediate(() => controller.abort()),
      fetch: (async () => new Response('{}', { status: 500 })) as typeof globalThis.fetch,
      signal: controller.signal,
    });
    await expect(fetch('http://x')).rejects.toMatchObject({ name: 'AbortError' });
    expect(counter.http).toBe(1);
  });
});
