import type { LedgerEntry, LedgerTotals } from './types.js';

export function totalsOf(entries: readonly LedgerEntry[]): LedgerTotals {
  const t: LedgerTotals = {
    answers: 0,
    calls: 0,
    cacheHits: 0,
    httpRequests: 0,
    paidRequests: 0,
    inputTokens: 0,
    outputTokens: 0,
    dollars: 0,
    dollarsUsed: 0,
    ms: 0,
  };
  for (const e of entries) {
    t.answers += e.answers;
    t.calls += 1;
    if (e.cached) t.cacheHits += 1;
    t.httpRequests += e.httpRequests;
    t.paidRequests += e.paidRequests;
    t.inputTokens += e.inputTokens;
    t.outputTokens += e.outputTokens;
    t.dollars += e.dollars;
    t.dollarsUsed += e.dollarsUsed;
    t.ms += e.ms;
  }
  return t;
}
