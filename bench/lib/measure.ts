/**
 * Sizes shared by every model's measurement, so their throughput and latency figures are comparable.
 */

/** Texts timed one at a time (the first N of the test set); sklearn's per-call overhead makes all of imdb's take minutes. */
export const LATENCY_TEXTS = { full: 1000, quick: 200 };

/** Throughput runs over the test texts repeated to at least this many, so short test sets still time something measurable. */
export const THROUGHPUT_LINES = { full: 20000, quick: 5000 };

export function sizes(quick: boolean): { latencyTexts: number; throughputLines: number } {
  return quick
    ? { latencyTexts: LATENCY_TEXTS.quick, throughputLines: THROUGHPUT_LINES.quick }
    : { latencyTexts: LATENCY_TEXTS.full, throughputLines: THROUGHPUT_LINES.full };
}

/** The texts repeated whole until there are at least `min` of them. */
export function repeatTo<T>(items: readonly T[], min: number): T[] {
  const copies = Math.max(1, Math.ceil(min / Math.max(1, items.length)));
  return Array.from({ length: copies }, () => items).flat();
}
