import { hashObject } from '../../util/hash.js';
import type { BatchRecord } from '../../store/types.js';
import type { AttemptCounter } from '../instrumented-fetch.js';
import type { BatchApi, BatchHttp, BatchItem, BatchItemResult, BatchProgress } from './types.js';

type Fetch = typeof globalThis.fetch;

export interface BatchLog {
  recordBatch(batch: BatchRecord): void;
  openBatchFor(itemId: string): BatchRecord | undefined;
  closeBatch(id: string, status: string): void;
}

export interface BatchQueueOptions {
  /** Builds the provider's batch API once the first request shows the base URL and auth headers. */
  api(http: BatchHttp): BatchApi;
  baseUrl: string;
  log: BatchLog;
  /** Plain fetch for the batch endpoints (upload, create, poll, results). */
  fetch?: Fetch;
  /** A batch goes out once no new request has come for this long. */
  windowMs?: number;
  /** First wait between polls; it doubles up to `maxPollMs`. */
  pollMs?: number;
  maxPollMs?: number;
  /** Tries of a batch-endpoint call that failed on the network or with 5xx/429, before its items go online. */
  maxTries?: number;
  onProgress?(progress: BatchProgress & { id: string; resumed: boolean }): void;
  signal?: AbortSignal;
}

interface Pending {
  item: BatchItem;
  counter: AttemptCounter;
  online: () => Promise<Response>;
  resolve(response: Response): void;
  reject(error: unknown): void;
}

/** Headers the batch endpoints need from the SDK's request: auth and API version, nothing body-specific. */
const SKIP_HEADERS = new Set(['content-type', 'content-length', 'accept-encoding', 'connection']);

/**
 * Turns the AI SDK's online requests into provider batches. The SDK builds every request as usual
 * and hands it to `fetchFor(...)`, which holds it until no new request has come for `windowMs`;
 * then all held requests go out as one batch, and each caller gets the provider's answer for its
 * item as if the endpoint had answered online, so parsing, validation, cache and ledger are the
 * same as online. An item's custom id is the hash of its request, so a run that asks again after a
 * crash finds the batch it already paid for in the store and polls it instead of submitting again.
 * Items that failed or expired in the batch are sent online, never dropped.
 */
export class BatchQueue {
  private pending: Pending[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private http: BatchHttp | undefined;
  private apiInstance: BatchApi | undefined;
  private readonly watching = new Map<string, Promise<Map<string, BatchItemResult>>>();

  constructor(private readonly options: BatchQueueOptions) {}

  /** The fetch one model call hands to the SDK; `online` sends an item that the batch could not answer. */
  fetchFor(online: Fetch, counter: AttemptCounter): Fetch {
    return async (input, init) => {
      const body = JSON.parse(String(init?.body ?? '{}'));
      this.http ??= {
        baseUrl: this.options.baseUrl.replace(/\/+$/, ''),
        headers: authHeaders(init?.headers),
        fetch: this.options.fetch ?? globalThis.fetch,
      };
      return new Promise<Response>((resolve, reject) => {
        this.pending.push({
          item: { customId: `apprentice-${hashObject(body).slice(0, 40)}`, body },
          counter,
          online: () => online(input, init),
          resolve,
          reject,
        });
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.flush(), this.options.windowMs ?? 200);
      });
    };
  }

  private get api(): BatchApi {
    this.apiInstance ??= this.options.api(this.http!);
    return this.apiInstance;
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    const taken = this.pending.splice(0);
    if (taken.length === 0) return;
    const byBatch = new Map<string, { resumed: boolean; entries: Pending[] }>();
    const fresh: Pending[] = [];
    for (const p of taken) {
      const open = this.options.log.openBatchFor(p.item.customId);
      if (open) {
        const group = byBatch.get(open.id) ?? { resumed: true, entries: [] };
        group.entries.push(p);
        byBatch.set(open.id, group);
      } else fresh.push(p);
    }
    try {
      if (fresh.length > 0) {
        // The same request asked twice is one item, answered to both callers.
        const items = [...new Map(fresh.map((p) => [p.item.customId, p.item])).values()];
        const id = await this.retrying(() => this.api.submit(items));
        this.options.log.recordBatch({
          id,
          provider: this.api.provider,
          items: items.map((i) => i.customId),
          createdAt: new Date().toISOString(),
        });
        byBatch.set(id, { resumed: false, entries: fresh });
      }
    } catch {
      // The batch endpoint is down or refuses the batch: these items go online rather than wait.
      for (const p of fresh) this.settle(p, undefined);
    }
    await Promise.all(
      [...byBatch].map(async ([id, group]) => {
        let results: Map<string, BatchItemResult> | undefined;
        try {
          results = await this.results(id, group.resumed);
        } catch (error) {
          if (this.options.signal?.aborted) {
            for (const p of group.entries) p.reject(error);
            return;
          }
        }
        for (const p of group.entries) this.settle(p, results?.get(p.item.customId));
      }),
    );
  }

  private settle(p: Pending, result: BatchItemResult | undefined): void {
    if (result?.ok) {
      // A batch item is one billed request, as an online call would have been.
      p.counter.http++;
      p.counter.paid++;
      p.counter.attempts = 1;
      p.resolve(
        new Response(JSON.stringify(result.body), { status: 200, headers: { 'content-type': 'application/json' } }),
      );
      return;
    }
    p.online().then(p.resolve, p.reject);
  }

  /** One watcher a batch, however many groups of callers wait on it. */
  private results(id: string, resumed: boolean): Promise<Map<string, BatchItemResult>> {
    let watch = this.watching.get(id);
    if (!watch) {
      watch = this.watch(id, resumed).finally(() => this.watching.delete(id));
      this.watching.set(id, watch);
    }
    return watch;
  }

  private async watch(id: string, resumed: boolean): Promise<Map<string, BatchItemResult>> {
    let wait = this.options.pollMs ?? 5000;
    for (;;) {
      this.options.signal?.throwIfAborted();
      const progress = await this.retrying(() => this.api.poll(id));
      this.options.onProgress?.({ ...progress, id, resumed });
      if (progress.done) {
        const results = await this.retrying(() => this.api.results(id));
        this.options.log.closeBatch(id, progress.status);
        return new Map(results.map((r) => [r.customId, r]));
      }
      await sleep(wait, this.options.signal);
      wait = Math.min(wait * 2, this.options.maxPollMs ?? 60_000);
    }
  }

  private async retrying<T>(fn: () => Promise<T>): Promise<T> {
    const tries = this.options.maxTries ?? 5;
    let wait = this.options.pollMs ?? 5000;
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (error) {
        const status = (error as { status?: number }).status;
        const retryable = status === undefined || status === 429 || status >= 500;
        if (!retryable || attempt >= tries || this.options.signal?.aborted) throw error;
        await sleep(wait, this.options.signal);
        wait = Math.min(wait * 2, this.options.maxPollMs ?? 60_000);
      }
    }
  }
}

function authHeaders(headers: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(headers).forEach((value, key) => {
    if (!SKIP_HEADERS.has(key.toLowerCase())) out[key] = value;
  });
  return out;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
