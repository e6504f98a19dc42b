import type { Example, RejectedRow, Source } from '../data/example.js';
import type { TrainingRow } from '../student/types.js';
import { textId } from '../util/hash.js';

/**
 * The rows the loop has acquired so far, in acquisition order (order matters: training is
 * deterministic for a given row order and seed). Knows every text id it has seen, including
 * validation rows, so nothing is labeled twice and nothing leaks from validation into training.
 */
export class TrainingSet {
  readonly examples: Example[] = [];
  readonly rejected: RejectedRow[] = [];
  private readonly seen = new Set<string>();

  has(text: string): boolean {
    return this.seen.has(textId(text));
  }

  /** Every text id seen so far (rows and reserved texts), in the order first seen. */
  ids(): IterableIterator<string> {
    return this.seen.values();
  }

  /** Marks texts as taken without training on them (the validation split). */
  reserve(texts: Iterable<string>): void {
    for (const t of texts) this.seen.add(textId(t));
  }

  /** Adds a row unless its text was seen already; returns whether it was added. */
  add(row: {
    text: string;
    labels: string[];
    source: Source;
    round: number;
    teacher: string;
    reviewer?: string;
    confidence?: number;
    attributes?: Record<string, string>;
  }): boolean {
    const id = textId(row.text);
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    this.examples.push({ id, ...row });
    return true;
  }

  reject(row: RejectedRow): void {
    this.rejected.push(row);
  }

  /** Rows for training; `weightOf` gives each row's loss weight (default 1). */
  rows(weightOf?: (e: Example) => number): TrainingRow[] {
    return this.examples.map((e) => {
      const weight = weightOf?.(e) ?? 1;
      return weight === 1 ? { text: e.text, labels: e.labels } : { text: e.text, labels: e.labels, weight };
    });
  }

  countBySource(round?: number): Record<Source, number> {
    const out: Record<Source, number> = { seed: 0, pool: 0, generated: 0, human: 0 };
    for (const e of this.examples) if (round === undefined || e.round === round) out[e.source] += 1;
    return out;
  }

  countByLabel(): Map<string, number> {
    const out = new Map<string, number>();
    for (const e of this.examples) for (const l of e.labels) out.set(l, (out.get(l) ?? 0) + 1);
    return out;
  }
}
