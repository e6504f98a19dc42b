import { systemClock, type Clock, type RateLimiter } from './rate-limit.js';

/**
 * The fetch handed to the AI SDK for one logical call. The SDK's own retry loop is switched off
 * (its first wait is a fixed 2 s, too slow for tests and not configurable), so this is where every
 * HTTP attempt happens: it waits for the rate limiter, applies the per-attempt timeout, retries
 * retryable failures with back-off (honouring `retry-after`), and counts requests and 200s.
 */

export interface AttemptCounter {
  /** HTTP requests sent, retries included. */
  http: number;
  /** Responses with status 200: the provider bills those, even when their body was unusable. */
  paid: number;
  /** Attempts made by the latest request, for the final error message. */
  attempts: number;
}

export interface RetryNotice {
  /** 1-based number of the retry about to happen. */
  attempt: number;
  reason: string;
  delayMs: number;
}

export interface InstrumentedFetchOptions {
  counter: AttemptCounter;
  timeoutMs: number;
  /** Retries after the first attempt of a request. */
  maxRetries: number;
  /** First back-off wait; doubles with every retry. */
  retryBaseMs: number;
  limiter?: RateLimiter;
  /** Tokens one attempt may use (prompt estimate plus maxOutputTokens), for the token rate limit. */
  tokens?: number;
  onRetry?: (notice: RetryNotice) => void;
  /** Underlying fetch; the global one by default. */
  fetch?: typeof globalThis.fetch;
  clock?: Clock;
  /**
   * The run's own stop signal (Ctrl-C). Honoured alongside the caller's `init.signal`, so a stop
   * does not depend on the SDK forwarding its abortSignal into every fetch it makes.
   */
  signal?: AbortSignal;
}

/**
 * Thrown when one attempt runs past its timeout. Its `code` is one the SDK classifies as a
 * network error; the name deliberately is not `TimeoutError`, which the SDK treats as a caller abort.
 */
export class AttemptTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(readonly timeoutMs: number) {
    super(`no complete response within ${timeoutMs} ms`);
    this.name = 'AttemptTimeoutError';
  }
}

/** Worth another attempt: the same request may well succeed. Other statuses are verdicts. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Longest wait between attempts; a longer `retry-after` is cut to this. */
export const MAX_RETRY_DELAY_MS = 60_000;

/** The wait a server asked for (`retry-after-ms`, or `retry-after` in seconds or as a date); undefined if none. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number.parseFloat(value);
  const fromHeader = Number.isNaN(seconds) ? Date.parse(value) - now : seconds * 1000;
  return Number.isFinite(fromHeader) ? Math.max(0, fromHeader) : undefined;
}

/** Exponential back-off with ±20% jitter, so requests that failed together do not return together. */
export function backoffMs(retry: number, baseMs: number, random = Math.random): number {
  return Math.min(MAX_RETRY_DELAY_MS, Math.round(baseMs * 2 ** (retry - 1) * (0.8 + 0.4 * random())));
}

/** A 200 whose JSON body does not parse was cut off on the way: paid for, and worth asking again. */
function unreadableJson(response: Response, body: ArrayBuffer): boolean {
  if (response.status !== 200 || !/json/i.test(response.headers.get('content-type') ?? '')) return false;
  try {
    JSON.parse(new TextDecoder().decode(body));
    return false;
  } catch {
    return true;
  }
}

type Attempt =
  | { response: Response; body: ArrayBuffer; retry?: { reason: string; delayMs?: number } }
  | { error: unknown; retry?: { reason: string } };

export function instrumentedFetch(options: InstrumentedFetchOptions): typeof globalThis.fetch {
  const base = options.fetch ?? globalThis.fetch;
  const clock = options.clock ?? systemClock;

  const attemptOnce = async (
    input: Parameters<typeof fetch>[0],
    init: RequestInit | undefined,
    stop: AbortSignal | undefined,
  ): Promise<Attempt> => {
    options.counter.http++;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new AttemptTimeoutError(options.timeoutMs)), options.timeoutMs);
    const signal = stop ? AbortSignal.any([stop, timeout.signal]) : timeout.signal;
    try {
      const response = await base(input, { ...init, signal });
      if (response.status === 200) options.counter.paid++;
      // Read here so the timeout also covers a server that sends headers and then stalls.
      const body = await response.arrayBuffer();
      if (isRetryableStatus(response.status)) {
        return {
          response,
          body,
          retry: { reason: `HTTP ${response.status}`, delayMs: retryAfterMs(response.headers) },
        };
      }
      if (unreadableJson(response, body)) return { response, body, retry: { reason: 'response body cut off' } };
      return { response, body };
    } catch (error) {
      // The caller or the run stopped: not a failure of the attempt, and nothing to retry.
      if (stop?.aborted) return { error: stop.reason ?? error };
      const reason = timeout.signal.aborted ? timeout.signal.reason : error;
      return {
        error: reason,
        retry: { reason: reason instanceof AttemptTimeoutError ? 'timeout' : 'connection failed' },
      };
    } finally {
      clearTimeout(timer);
    }
  };

  return async (input, init) => {
    const stop = anySignal(options.signal, init?.signal ?? undefined);
    for (let retry = 0; ; retry++) {
      stop?.throwIfAborted();
      await options.limiter?.acquire(options.tokens ?? 0, stop);
      options.counter.attempts = retry + 1;
      const attempt = await attemptOnce(input, init, stop);
      if (!attempt.retry || retry >= options.maxRetries) {
        if ('error' in attempt) throw attempt.error;
        const { response, body } = attempt;
        // These statuses may not carry a body; the Response constructor throws if given one.
        const nullBody = [101, 204, 205, 304].includes(response.status);
        return new Response(nullBody ? null : body, {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
        });
      }
      const asked = 'response' in attempt ? attempt.retry.delayMs : undefined;
      const delayMs =
        asked === undefined ? backoffMs(retry + 1, options.retryBaseMs) : Math.min(asked, MAX_RETRY_DELAY_MS);
      options.onRetry?.({ attempt: retry + 1, reason: attempt.retry.reason, delayMs });
      await clock.sleep(delayMs, stop);
    }
  };
}

function anySignal(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  if (!a || !b || a === b) return a ?? b;
  return AbortSignal.any([a, b]);
}
