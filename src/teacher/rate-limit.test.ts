import { describe, expect, it } from 'vitest';
import { RateLimiter, TokenBucket, limiterFor, type Clock } from './rate-limit.js';

/** Virtual time: sleeping moves the clock, so nothing here waits for real. */
function virtualClock(): Clock & { t: number; slept: number[] } {
  const clock = {
    t: 0,
    slept: [] as number[],
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.slept.push(ms);
      clock.t += ms;
    },
  };
  return clock;
}

describe('TokenBucket', () => {
  it('holds one second of the per-minute allowance and refills continuously', () => {
    const b = new TokenBucket(120, 0);
    expect(b.capacity).toBe(2);
    expect(b.wait(1, 0)).toBe(0);
    b.take(1, 0);
    b.take(1, 0);
    expect(b.wait(1, 0)).toBe(500);
    expect(b.wait(1, 250)).toBe(250);
    expect(b.wait(1, 500)).toBe(0);
    // Idle time never stores more than the capacity.
    expect(b.wait(3, 60_000)).toBe(0);
    b.take(2, 60_000);
    expect(b.wait(1, 60_000)).toBe(500);
  });

  it('lets a request larger than the bucket go once it is full, then makes later ones repay the debt', () => {
    const b = new TokenBucket(60_000, 0); // 1000 tokens per second, holds 1000
    b.take(400, 0);
    expect(b.wait(5000, 0)).toBe(400);
    expect(b.wait(5000, 400)).toBe(0);
    b.take(5000, 400);
    // 4000 tokens of debt plus 100 wanted: 4.1 s at 1000 per second.
    expect(b.wait(100, 400)).toBe(4100);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new TokenBucket(0, 0)).toThrow(RangeError);
  });
});

describe('RateLimiter', () => {
  it("spaces requests to the requests-per-minute rate after the first second's burst", async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter({ requestsPerMinute: 120 }, clock);
    const sent: number[] = [];
    for (let i = 0; i < 6; i++) {
      await limiter.acquire(0);
      sent.push(clock.t);
    }
    expect(sent).toEqual([0, 0, 500, 1000, 1500, 2000]);
  });

  it("applies the tokens-per-minute limit to each request's token count", async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter({ tokensPerMinute: 6000 }, clock); // 100 per second
    await limiter.acquire(100);
    expect(limiter.wait(50)).toBe(500);
    await limiter.acquire(50);
    expect(clock.t).toBe(500);
    // The slower of the two limits decides.
    const both = new RateLimiter({ tokensPerMinute: 6000, requestsPerMinute: 6000 }, virtualClock());
    await both.acquire(100);
    expect(both.wait(10)).toBe(100);
  });

  it('serves concurrent waiters in arrival order and never runs ahead of the rate', async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter({ requestsPerMinute: 60 }, clock);
    const order: [number, number][] = [];
    await Promise.all([0, 1, 2, 3, 4].map((i) => limiter.acquire(0).then(() => order.push([i, clock.t]))));
    expect(order).toEqual([
      [0, 0],
      [1, 1000],
      [2, 2000],
      [3, 3000],
      [4, 4000],
    ]);
  });

  it('lets an aborted waiter go without blocking the queue behind it', async () => {
    const clock = virtualClock();
    const sleep = clock.sleep;
    clock.sleep = (ms, signal) => (signal?.aborted ? Promise.reject(signal.reason) : sleep(ms));
    const limiter = new RateLimiter({ requestsPerMinute: 60 }, clock);
    await limiter.acquire(0);
    const controller = new AbortController();
    const aborted = limiter.acquire(0, controller.signal);
    const next = limiter.acquire(0);
    controller.abort(new Error('stopped'));
    await expect(aborted).rejects.toThrow('stopped');
    await next;
    // The aborted request was never counted: the next one went after one interval, not two.
    expect(clock.t).toBe(1000);
  });

  it('is shared by the calls of one teacher and absent when no limit is set', () => {
    const owner = {};
    expect(limiterFor(owner, {})).toBeUndefined();
    const a = limiterFor(owner, { requestsPerMinute: 10 });
    expect(a).toBeInstanceOf(RateLimiter);
    expect(limiterFor(owner, { requestsPerMinute: 10 })).toBe(a);
    expect(limiterFor({}, { requestsPerMinute: 10 })).not.toBe(a);
  });
});
