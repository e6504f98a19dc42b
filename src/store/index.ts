import type { Store } from './types.js';
import { SqliteStore } from './sqlite-store.js';

export type { CachedResponse, LedgerEntry, LedgerTotals, Store } from './types.js';
export { MemoryStore } from './memory-store.js';
export { SqliteStore } from './sqlite-store.js';
export { totalsOf } from './totals.js';

/** Where runs share their teacher cache unless told otherwise (relative to the working directory). */
export const DEFAULT_STORE_PATH = '.apprentice/cache.sqlite';

export function openStore(path: string = DEFAULT_STORE_PATH): Store {
  return new SqliteStore(path);
}
