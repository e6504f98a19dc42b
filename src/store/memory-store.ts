import type { BatchRecord, CachedResponse, LedgerEntry, LedgerTotals, Store } from './types.js';
import { totalsOf } from './totals.js';

/** In-memory Store for tests and throwaway runs. Same contract as SqliteStore, nothing persisted. */
export class MemoryStore implements Store {
  private readonly cache = new Map<string, CachedResponse>();
  private readonly entries: LedgerEntry[] = [];
  private readonly batches: BatchRecord[] = [];

  getCached(key: string): CachedResponse | undefined {
    const hit = this.cache.get(key);
    return hit ? structuredClone(hit) : undefined;
  }
  putCached(key: string, response: CachedResponse): void {
    // First write wins: a key names one answer forever, so a replay never sees a different one.
    if (!this.cache.has(key)) this.cache.set(key, structuredClone(response));
  }
  appendLedger(entry: LedgerEntry): void {
    this.entries.push({ ...entry });
  }
  ledger(runId: string): LedgerEntry[] {
    return this.entries.filter((e) => e.runId === runId).map((e) => ({ ...e }));
  }
  totals(runId: string): LedgerTotals {
    return totalsOf(this.ledger(runId));
  }
  recordBatch(batch: BatchRecord): void {
    this.batches.push(structuredClone(batch));
  }
  openBatchFor(itemId: string): BatchRecord | undefined {
    const found = this.batches.findLast((b) => !b.closed && b.items.includes(itemId));
    return found ? structuredClone(found) : undefined;
  }
  closeBatch(id: string, status: string): void {
    for (const b of this.batches) if (b.id === id) b.closed = status;
  }
  close(): void {}
}
