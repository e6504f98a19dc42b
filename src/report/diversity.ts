import type { Example } from '../data/example.js';
import type { TextDiversity, TrainingDataStats } from './types.js';
import { normalizeText } from '../data/near-dup/minhash.js';
import { NearDupIndex } from '../data/near-dup/near-dup-index.js';

/** Above the usual paraphrase range: a pair this similar is the same text with small edits. */
export const NEAR_DUP_THRESHOLD = 0.9;
/** Attributes the loop writes for its own records; they describe how a row came, not what it is about. */
export const BOOKKEEPING_ATTRIBUTES: ReadonlySet<string> = new Set(['strategy', 'relabeledFrom', 'relabeledRound']);
/** Values kept per attribute: an LLM-named attribute (a topic) can have one value per row. */
export const TOP_VALUES = 20;

export type DiversityRow = Pick<Example, 'text' | 'labels' | 'source' | 'attributes'>;

export interface DiversityOptions {
  /** The task's labels, so a label with no rows counts (as 0) in the balance. */
  labels?: readonly string[];
  nearDupThreshold?: number;
  topValues?: number;
}

/** Diversity, label balance and attribute coverage of training rows, overall and per source. */
export function trainingDiversity(rows: readonly DiversityRow[], options: DiversityOptions = {}): TrainingDataStats {
  const threshold = options.nearDupThreshold ?? NEAR_DUP_THRESHOLD;
  const dup = nearDuplicates(
    rows.map((r) => r.text),
    threshold,
  );
  const taskLabels = options.labels ?? [];
  const sources = [...new Set(rows.map((r) => r.source))].sort();
  const bySource: Record<string, TextDiversity> = {};
  for (const source of sources) {
    const at = rows.flatMap((r, i) => (r.source === source ? [i] : []));
    bySource[source] = textDiversity(
      at.map((i) => rows[i]),
      at.map((i) => dup[i]),
      taskLabels,
    );
  }
  return {
    ...textDiversity(rows, dup, taskLabels),
    nearDupThreshold: threshold,
    labels: labelCounts(rows, taskLabels),
    attributes: attributeCoverage(rows, options.topValues ?? TOP_VALUES),
    bySource,
  };
}

function textDiversity(
  rows: readonly DiversityRow[],
  dup: readonly boolean[],
  taskLabels: readonly string[],
): TextDiversity {
  const { distinct1, distinct2 } = distinctN(rows.map((r) => r.text));
  return {
    rows: rows.length,
    distinct1,
    distinct2,
    nearDupRate: rows.length ? dup.filter(Boolean).length / rows.length : 0,
    labelEntropy: normalizedEntropy(labelCounts(rows, taskLabels).map((c) => c.rows)),
  };
}

/** Words as the near-duplicate index sees them: case, accents and punctuation do not make a new word. */
export function words(text: string): string[] {
  const norm = normalizeText(text);
  return norm ? norm.split(' ') : [];
}

/** Distinct-1 and distinct-2 (Li et al. 2016) over the texts; bigrams never span two texts. */
export function distinctN(texts: readonly string[]): { distinct1: number; distinct2: number } {
  const uni = new Set<string>();
  const bi = new Set<string>();
  let nUni = 0;
  let nBi = 0;
  for (const text of texts) {
    const w = words(text);
    nUni += w.length;
    for (const x of w) uni.add(x);
    for (let i = 1; i < w.length; i++) {
      nBi += 1;
      bi.add(`${w[i - 1]} ${w[i]}`);
    }
  }
  return { distinct1: nUni ? uni.size / nUni : 0, distinct2: nBi ? bi.size / nBi : 0 };
}

/** For each text: whether another text is at least `threshold` similar. */
export function nearDuplicates(texts: readonly string[], threshold = NEAR_DUP_THRESHOLD): boolean[] {
  const index = new NearDupIndex({ threshold });
  const prints = texts.map((t) => index.fingerprint(t));
  prints.forEach((p, i) => index.add(String(i), p));
  return prints.map((p, i) => index.query(p, threshold).some((m) => m.id !== String(i)));
}

/** Shannon entropy of the counts over its maximum, log(k); a single label is balanced by definition. */
export function normalizedEntropy(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  if (counts.length <= 1) return 1;
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / total) * Math.log(c / total);
  return h / Math.log(counts.length);
}

/** Rows per label (a multi-label row counts once for each of its labels), most first. */
function labelCounts(rows: readonly DiversityRow[], taskLabels: readonly string[]): { label: string; rows: number }[] {
  const counts = new Map<string, number>(taskLabels.map((l) => [l, 0]));
  for (const r of rows) for (const l of r.labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts]
    .map(([label, n]) => ({ label, rows: n }))
    .sort((a, b) => b.rows - a.rows || compare(a.label, b.label));
}

function attributeCoverage(rows: readonly DiversityRow[], topValues: number): TrainingDataStats['attributes'] {
  const byName = new Map<string, { rows: number; bySource: Record<string, number>; values: Map<string, number> }>();
  for (const r of rows) {
    for (const [name, value] of Object.entries(r.attributes ?? {})) {
      if (BOOKKEEPING_ATTRIBUTES.has(name)) continue;
      let a = byName.get(name);
      if (!a) byName.set(name, (a = { rows: 0, bySource: {}, values: new Map() }));
      a.rows += 1;
      a.bySource[r.source] = (a.bySource[r.source] ?? 0) + 1;
      a.values.set(value, (a.values.get(value) ?? 0) + 1);
    }
  }
  return [...byName]
    .map(([name, a]) => ({
      name,
      rows: a.rows,
      distinct: a.values.size,
      bySource: a.bySource,
      values: [...a.values]
        .map(([value, n]) => ({ value, rows: n }))
        .sort((x, y) => y.rows - x.rows || compare(x.value, y.value))
        .slice(0, topValues),
    }))
    .sort((x, y) => y.rows - x.rows || compare(x.name, y.name));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
