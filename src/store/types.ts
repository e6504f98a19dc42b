/** A teacher response as stored in the cache: the parsed body plus what it cost. */
import type { CallKind } from '../core/types.js';
export interface CachedResponse {
  /** JSON-serializable body the teacher implementation parses (e.g. the structured object or raw text). */
  body: unknown;
  inputTokens: number;
  outputTokens: number;
  /** HTTP requests it took, retries included (0 for teachers that make none, like `dataset`). */
  httpRequests: number;
  /** HTTP requests answered with 200 and billed by the provider (retries of bad output included). */
  paidRequests: number;
  dollars: number;
  ms: number;
  createdAt: string;
}

/** One line of the ledger: a teacher call as the run saw it. */
export interface LedgerEntry {
  runId: string;
  teacher: string;
  kind: CallKind;
  key: string;
  answers: number;
  cached: boolean;
  httpRequests: number;
  paidRequests: number;
  inputTokens: number;
  outputTokens: number;
  /** Dollars paid for this call (0 for a cache hit). */
  dollars: number;
  /** Dollars the answer cost when it was first bought (what it would cost without the cache). */
  dollarsUsed: number;
  ms: number;
  at: string;
}

export interface LedgerTotals {
  /** Teacher answers the run consumed (cached or not). */
  answers: number;
  /** Calls made (each a cache hit or a live call). */
  calls: number;
  cacheHits: number;
  /** HTTP requests sent this run (retries included). Cache hits send none. */
  httpRequests: number;
  paidRequests: number;
  inputTokens: number;
  outputTokens: number;
  /** Dollars actually paid this run (cache hits cost nothing). */
  dollars: number;
  /** Dollars the answers used would have cost without the cache. */
  dollarsUsed: number;
  ms: number;
}

/**
 * Persistent store: the teacher cache and the ledger. Synchronous on purpose: a cache write must
 * be on disk before the answer is used, so a crash right after never loses a paid answer.
 */
/**
 * A batch submitted to a provider's batch API. Written the moment the provider accepts it, before
 * anything else happens, so a killed run resumes polling this batch instead of paying for another.
 */
export interface BatchRecord {
  id: string;
  provider: string;
  /** The custom ids of its items: hashes of the requests, the same when a run asks again. */
  items: string[];
  createdAt: string;
  /** Set once its results have been read (`completed`, `failed`, `expired`, ...). */
  closed?: string;
}

export interface Store {
  getCached(key: string): CachedResponse | undefined;
  putCached(key: string, response: CachedResponse): void;
  appendLedger(entry: LedgerEntry): void;
  ledger(runId: string): LedgerEntry[];
  totals(runId: string): LedgerTotals;
  recordBatch(batch: BatchRecord): void;
  /** The newest batch still open that holds this item, if any. */
  openBatchFor(itemId: string): BatchRecord | undefined;
  closeBatch(id: string, status: string): void;
  close(): void;
}
