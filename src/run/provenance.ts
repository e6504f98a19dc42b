/** Counts the cards print: where rows came from and what they are labeled. */
export interface Provenance {
  rows: number;
  bySource: Record<string, number>;
  byRound: Record<number, number>;
  byTeacher: Record<string, number>;
  byLabel: Record<string, number>;
}

export function provenance(
  rows: readonly { source: string; round: number; teacher: string; labels: readonly string[] }[],
): Provenance {
  const p: Provenance = { rows: rows.length, bySource: {}, byRound: {}, byTeacher: {}, byLabel: {} };
  for (const r of rows) {
    p.bySource[r.source] = (p.bySource[r.source] ?? 0) + 1;
    p.byRound[r.round] = (p.byRound[r.round] ?? 0) + 1;
    p.byTeacher[r.teacher] = (p.byTeacher[r.teacher] ?? 0) + 1;
    for (const l of r.labels) p.byLabel[l] = (p.byLabel[l] ?? 0) + 1;
  }
  return p;
}

export const SOURCE_MEANING: Record<string, string> = {
  seed: 'written by the task author (task file seeds)',
  pool: 'texts from the unlabeled pool, labeled by the teacher',
  generated: 'texts the teacher wrote for a label on request',
  human: 'labeled by a reviewer in `apprentice studio`, in place of the teacher (not paid for)',
};

/** A markdown table cell: no pipes or newlines breaking the row. */
export function cell(s: string | number): string {
  return String(s)
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

export function pct(n: number, of: number): string {
  return of > 0 ? `${((100 * n) / of).toFixed(1)}%` : '–';
}

export function dollars(x: number | undefined): string {
  if (x === undefined) return 'unknown';
  return x === 0 ? '$0' : x < 0.01 ? `$${x.toFixed(4)}` : `$${x.toFixed(2)}`;
}
