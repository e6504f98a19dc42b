import type { Example } from '../data/example.js';
import type { LedgerEntry } from '../store/types.js';
import type { TrainingBreakdown } from './types.js';

/** Counts the final training rows by source, overall and per acquisition round. */
export function trainingBreakdown(rows: Iterable<Pick<Example, 'source' | 'round'>>): TrainingBreakdown {
  const bySource: Record<string, number> = { seed: 0, pool: 0, generated: 0 };
  const rounds = new Map<number, TrainingBreakdown['byRound'][number]>();
  for (const row of rows) {
    bySource[row.source] = (bySource[row.source] ?? 0) + 1;
    let r = rounds.get(row.round);
    if (!r) rounds.set(row.round, (r = { round: row.round, seed: 0, pool: 0, generated: 0 }));
    if (row.source === 'human') r.human = (r.human ?? 0) + 1;
    else r[row.source] += 1;
  }
  return { bySource, byRound: [...rounds.values()].sort((a, b) => a.round - b.round) };
}

/**
 * Teacher latency per answer, over live calls only: a cache hit or a dataset lookup says nothing
 * about how long the teacher takes. Null when there were no live answers to measure.
 */
export function teacherMsPerAnswer(entries: readonly LedgerEntry[], teacherKind: 'llm' | 'dataset'): number | null {
  if (teacherKind === 'dataset') return null;
  let ms = 0;
  let answers = 0;
  for (const e of entries) {
    if (e.cached || e.httpRequests === 0) continue;
    ms += e.ms;
    answers += e.answers;
  }
  return answers > 0 ? ms / answers : null;
}
