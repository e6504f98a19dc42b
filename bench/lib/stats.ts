/** Repeated measurements of one quantity: the median is the figure, min and max the spread. */
export interface Timing {
  median: number;
  min: number;
  max: number;
  runs: number;
  values: number[];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function timing(values: readonly number[]): Timing {
  return {
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    runs: values.length,
    values: [...values],
  };
}

/** Relative spread of a timing, (max − min) ÷ median: what a ratio near the goal can be trusted to. */
export function relativeSpread(t: Timing): number {
  return t.median === 0 ? 0 : (t.max - t.min) / t.median;
}

/** How many times each timed command runs; the issue asks for at least 3. */
export const TIMED_RUNS = 3;
