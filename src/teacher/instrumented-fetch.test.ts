import { describe, expect, it } from 'vitest';
import {
  AttemptTimeoutError,
  backoffMs,
  instrumentedFetch,
  retryAfterMs,
  type AttemptCounter,
  type RetryNotice,
} from './instrumented-fetch.js';
import { RateLimiter, type Clock } from './rate-limit.js';

/** Virtual time: waits between attempts move the clock instead of sleeping. */
function virtualClock(): Clock & { t: number } {
  const clock = { t: 0, now: () => clock.t, sleep: async (ms: number) => void (clock.t += ms) };
  return clock;
}

type Step = { status: number; body?: string; headers?: Record<string, string> } | 'network-error' | 'stall';

/** A fetch that plays `steps` in order, one per attempt, and records the virtual time of each. */
function scriptedFetch(steps: Step[], clock: { t: number }) {
  const at: number[] = [];
  const fetch = (async (_input: unknown, init?: RequestInit) => {
    at.push(clock.t);
    const step = steps[Math.min(at.length - 1, steps.length - 1)];
    if (step === 'network-error') throw new TypeError('fetch failed');
    if (step === 'stall') {
      return new Promise((_, reject) => {
        if (init?.signal?.aborted) reject(init.signal.reason);
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason));
      });
    }
    return new Response(step.body ?? '{"ok":true}', {
      status: step.status,
      headers: { 'content-type': 'application/json', ...step.headers },
    });
  }) as typeof globalThis.fetch;
  return { fetch, at };
}

function setup(
  steps: Step[],
  options: { maxRetries?: number; retryBaseMs?: number; limiter?: RateLimiter; timeoutMs?: number } = {},
) {
  const clock = virtualClock();
  const { fetch: base, at } = scriptedFetch(steps, clock);
  const counter: AttemptCounter = { http: 0, paid: 0, attempts: 0 };
  const notices: RetryNotice[] = [];
  const fetch = instrumentedFetch({
    counter,
    timeoutMs: options.timeoutMs ?? 10_000,
    maxRetries: options.maxRetries ?? 5,
    retryBaseMs: options.retryBaseMs ?? 100,
    limiter: options.limiter,
    tokens: 50,
    onRetry: (n) => notices.push(n),
    fetch: base,
    clock,
  });
  return { fetch, counter, notices, at, clock };
}

describe('instrumentedFetch: our retry loop around every HTTP attempt', () => {
  it('retries 408/409/429/5xx with doubling back-off and returns the first success', async () => {
    const s = setup([{ status: 500 }, { status: 503 }, { status: 408 }, { status: 409 }, { status: 200 }]);
    const res = await s.fetch('http://x');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(s.counter).toEqual({ http: 5, paid: 1, attempts: 5 });
    expect(s.notices.map((n) => n.reason)).toEqual(['HTTP 500', 'HTTP 503', 'HTTP 408', 'HTTP 409']);
    // 100, 200, 400, 800 ms, each within ±20% jitter.
    s.notices.forEach((n, i) => {
      expect(n.delayMs).toBeGreaterThanOrEqual(0.8 * 100 * 2 ** i);
      expect(n.delayMs).toBeLessThanOrEqual(1.2 * 100 * 2 ** i);
    });
    expect(s.at.slice(1).map((t, i) => t - s.at[i])).toEqual(s.notices.map((n) => n.delayMs));
  });

  it('waits what retry-after asks for (seconds, milliseconds or a date) instead of the back-off', async () => {
    const date = new Date(Date.now() + 3000).toUTCString();
    const s = setup([
      { status: 429, headers: { 'retry-after': '2' } },
      { status: 429, headers: { 'retry-after-ms': '30' } },
      { status: 503, headers: { 'retry-after': date } },
      { status: 429, headers: { 'retry-after': '3600' } },
      { status: 200 },
    ]);
    await s.fetch('http://x');
    const delays = s.notices.map((n) => n.delayMs);
    expect(delays.slice(0, 2)).toEqual([2000, 30]);
    expect(delays[2]).toBeGreaterThan(1000);
    expect(delays[2]).toBeLessThanOrEqual(3000);
    // An hour is not a wait a run should sit through per attempt: cut to a minute.
    expect(delays[3]).toBe(60_000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
  });

  it('does not retry other statuses, and hands the last failure to the SDK once retries run out', async () => {
    const bad = setup([{ status: 400, body: '{"error":{"message":"no"}}' }]);
    expect((await bad.fetch('http://x')).status).toBe(400);
    expect(bad.counter.http).toBe(1);
    expect(bad.notices).toEqual([]);

    const busy = setup([{ status: 503 }], { maxRetries: 2 });
    const res = await busy.fetch('http://x');
    expect(res.status).toBe(503);
    expect(busy.counter).toEqual({ http: 3, paid: 0, attempts: 3 });
    expect(busy.notices).toHaveLength(2);
  });

  it('retries connection failures and timeouts, and throws the last one when retries run out', async () => {
    const s = setup(['network-error', 'stall', { status: 200 }], { timeoutMs: 20 });
    expect((await s.fetch('http://x')).status).toBe(200);
    expect(s.notices.map((n) => n.reason)).toEqual(['connection failed', 'timeout']);

    const dead = setup(['stall'], { timeoutMs: 20, maxRetries: 1 });
    await expect(dead.fetch('http://x')).rejects.toBeInstanceOf(AttemptTimeoutError);
    expect(dead.counter.http).toBe(2);
  });

  it('counts a 200 whose JSON was cut off as paid, and asks again', async () => {
    const s = setup([{ status: 200, body: '{"choices":[{"mess' }, { status: 200 }]);
    expect(await (await s.fetch('http://x')).json()).toEqual({ ok: true });
    expect(s.counter).toEqual({ http: 2, paid: 2, attempts: 2 });
    expect(s.notices.map((n) => n.reason)).toEqual(['response body cut off']);
  });

  it('does not retry when the caller aborted', async () => {
    const s = setup(['stall']);
    const controller = new AbortController();
    const pending = s.fetch('http://x', { signal: controller.signal });
    await Promise.resolve();
    controller.abort(new Error('user stop'));
    await expect(pending).rejects.toThrow('user stop');
    expect(s.counter.http).toBeLessThanOrEqual(1);
    expect(s.notices).toEqual([]);
  });

  it('takes every attempt, retries included, through the rate limiter', async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter({ requestsPerMinute: 60 }, clock);
    const { fetch: base, at } = scriptedFetch([{ status: 500 }, { status: 500 }, { status: 200 }], clock);
    const fetch = instrumentedFetch({
      counter: { http: 0, paid: 0, attempts: 0 },
      timeoutMs: 1000,
      maxRetries: 5,
      retryBaseMs: 0,
      limiter,
      tokens: 0,
      fetch: base,
      clock,
    });
    await fetch('http://x');
    // No back-off at all, yet one request per second: the limiter spaced them.
    expect(at).toEqual([0, 1000, 2000]);
  });

  it('caps the back-off at a minute', () => {
    expect(backoffMs(30, 1000, () => 0.5)).toBe(60_000);
    expect(backoffMs(1, 1000, () => 0.5)).toBe(1000);
    expect(backoffMs(3, 5, () => 0)).toBe(16);
  });
});
