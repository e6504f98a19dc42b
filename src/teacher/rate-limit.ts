/**
 * Client-side rate limits (`teacher.requestsPerMinute`, `teacher.tokensPerMinute`), applied to
 * every HTTP attempt, retries included: a provider counts a retry like any other request.
 */

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/**
 * Holds at most one second's worth of a per-minute allowance. Providers enforce their minute
 * limits in finer slices (OpenAI documents 60 000 RPM as 1 000 per second), so a bucket holding a
 * whole minute would let a burst through that the provider then answers with 429s.
 */
export class TokenBucket {
  readonly capacity: number;
  private readonly perMs: number;
  private level: number;
  private at: number;

  constructor(perMinute: number, now: number) {
    if (!(perMinute > 0)) throw new RangeError(`a rate limit must be positive, got ${perMinute}`);
    this.perMs = perMinute / 60_000;
    this.capacity = perMinute / 60;
    this.level = this.capacity;
    this.at = now;
  }

  /**
   * Milliseconds until `amount` may be taken; 0 means now. An amount above the capacity could
   * never fit, so it goes once the bucket is full and leaves it in debt: the long-run rate holds.
   */
  wait(amount: number, now: number): number {
    this.refill(now);
    const need = Math.min(amount, this.capacity);
    return this.level >= need ? 0 : Math.ceil((need - this.level) / this.perMs);
  }

  take(amount: number, now: number): void {
    this.refill(now);
    this.level -= amount;
  }

  private refill(now: number): void {
    if (now > this.at) this.level = Math.min(this.capacity, this.level + (now - this.at) * this.perMs);
    this.at = Math.max(this.at, now);
  }
}

export interface RateLimits {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
}

export class RateLimiter {
  private readonly requests?: TokenBucket;
  private readonly tokens?: TokenBucket;
  /** Waiters go in arrival order, so a large request is not starved by a stream of small ones. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    limits: RateLimits,
    private readonly clock: Clock = systemClock,
  ) {
    const now = clock.now();
    if (limits.requestsPerMinute !== undefined) this.requests = new TokenBucket(limits.requestsPerMinute, now);
    if (limits.tokensPerMinute !== undefined) this.tokens = new TokenBucket(limits.tokensPerMinute, now);
  }

  /** Milliseconds until a request of `tokens` tokens may go, ignoring anyone queued. */
  wait(tokens: number): number {
    const now = this.clock.now();
    return Math.max(this.requests?.wait(1, now) ?? 0, this.tokens?.wait(tokens, now) ?? 0);
  }

  /** Resolves when one request of (at most) `tokens` tokens may be sent, and counts it as sent. */
  acquire(tokens: number, signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(async () => {
      for (let ms = this.wait(tokens); ms > 0; ms = this.wait(tokens)) await this.clock.sleep(ms, signal);
      const now = this.clock.now();
      this.requests?.take(1, now);
      this.tokens?.take(tokens, now);
    });
    // One aborted waiter must not block those queued behind it.
    this.queue = turn.catch(() => undefined);
    return turn;
  }
}

/**
 * One limiter per teacher. Each teacher resolves its provider once and hands that object to every
 * call, so keying by it shares the limiter between those calls without threading it through.
 */
const limiters = new WeakMap<object, RateLimiter>();

export function limiterFor(owner: object, limits: RateLimits): RateLimiter | undefined {
  if (limits.requestsPerMinute === undefined && limits.tokensPerMinute === undefined) return undefined;
  let limiter = limiters.get(owner);
  if (!limiter) {
    limiter = new RateLimiter({ requestsPerMinute: limits.requestsPerMinute, tokensPerMinute: limits.tokensPerMinute });
    limiters.set(owner, limiter);
  }
  return limiter;
}
