/**
 * The fetch handed to the AI SDK for one logical call. It is where we can see every HTTP attempt
 * the SDK's retry loop makes, so it counts requests and 200s (what the ledger reports), applies the
 * per-attempt timeout, and announces retries the SDK is about to make.
 */

export interface AttemptCounter {
  /** HTTP requests sent, retries included. */
  http: number;
  /** Responses with status 200: the provider bills those. */
  paid: number;
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
  /** Same value the SDK's retry loop got, so notices stop where its retries stop. */
  maxRetries: number;
  onRetry?: (notice: RetryNotice) => void;
  /** Underlying fetch; the global one by default. */
  fetch?: typeof globalThis.fetch;
}

/**
 * Thrown when one attempt runs past its timeout. Its `code` is one the SDK classifies as a
 * retryable network error; the name deliberately is not `TimeoutError`, which the SDK treats as
 * a caller abort and would not retry.
 */
export class AttemptTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(readonly timeoutMs: number) {
    super(`no complete response within ${timeoutMs} ms`);
    this.name = 'AttemptTimeoutError';
  }
}

/** The SDK's rule: these statuses are retried, everything else fails at once. */
function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Mirrors the SDK's backoff (2 s doubling, retry-after honoured under a minute) to report the wait. */
function expectedDelayMs(attempt: number, headers?: Headers): number {
  const backoff = 2000 * 2 ** (attempt - 1);
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0 && (ms < 60_000 || ms < backoff)) return ms;
  const retryAfter = headers?.get('retry-after');
  if (retryAfter) {
    const seconds = Number.parseFloat(retryAfter);
    const fromHeader = Number.isNaN(seconds) ? Date.parse(retryAfter) - Date.now() : seconds * 1000;
    if (Number.isFinite(fromHeader) && fromHeader >= 0 && (fromHeader < 60_000 || fromHeader < backoff)) return fromHeader;
  }
  return backoff;
}

export function instrumentedFetch(options: InstrumentedFetchOptions): typeof globalThis.fetch {
  const base = options.fetch ?? globalThis.fetch;
  let failures = 0;
  const noteFailure = (reason: string, headers?: Headers) => {
    failures++;
    if (failures <= options.maxRetries) {
      options.onRetry?.({ attempt: failures, reason, delayMs: expectedDelayMs(failures, headers) });
    }
  };

  return async (input, init) => {
    options.counter.http++;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new AttemptTimeoutError(options.timeoutMs)), options.timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout.signal]) : timeout.signal;
    try {
      const response = await base(input, { ...init, signal });
      if (response.status === 200) options.counter.paid++;
      // Read the body here so the timeout also covers a server that sends headers and then stalls.
      const body = await response.arrayBuffer();
      if (isRetryableStatus(response.status)) noteFailure(`HTTP ${response.status}`, response.headers);
      // These statuses may not carry a body; the Response constructor throws if given one.
      const nullBody = [101, 204, 205, 304].includes(response.status);
      return new Response(nullBody ? null : body, { status: response.status, statusText: response.statusText, headers: response.headers });
    } catch (error) {
      const reason = timeout.signal.aborted ? timeout.signal.reason : error;
      if (!init?.signal?.aborted) noteFailure(reason instanceof AttemptTimeoutError ? 'timeout' : 'connection failed');
      throw reason;
    } finally {
      clearTimeout(timer);
    }
  };
}
