import { carriedOrigins } from '../lib/carried.js';
import type { DatasetResult } from '../lib/types.js';
export const MODELS = ['student', 'fasttext', 'sklearn_svm', 'sklearn_svm_char', 'sklearn_lr'] as const;
export type ModelKey = (typeof MODELS)[number];
export const PEERS = ['fasttext', 'sklearn_svm', 'sklearn_svm_char', 'sklearn_lr'] as const;

export const MODEL_NAMES: Record<ModelKey, string> = {
  student: 'student (hashed-linear)',
  fasttext: 'fastText',
  sklearn_svm: 'TF-IDF word + LinearSVC',
  sklearn_svm_char: 'TF-IDF word+char + LinearSVC',
  sklearn_lr: 'TF-IDF word + LogReg',
};

/** A commit as a row label: 12 hex digits, `-dirty` kept. */
export const shortCommit = (c: string | undefined) => (c ? c.replace(/^([0-9a-f]{12})[0-9a-f]*/, '$1') : 'unknown');

/** A median with its spread over runs: `12.3 (11.9–13.0, 3 runs)`. */
export function withSpread(
  t: { median: number; min: number; max: number; runs: number } | null | undefined,
  digits = 2,
): string {
  if (!t) return dash;
  const f = (v: number) => (Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : v.toFixed(digits));
  return `${f(t.median)} (${f(t.min)}–${f(t.max)}, ${t.runs} runs)`;
}

export const dash = '–';
export const pct = (v: number | null | undefined) => (v === null || v === undefined ? dash : (100 * v).toFixed(1));
export const num = (v: number | null | undefined, digits = 2) =>
  v === null || v === undefined ? dash : v.toFixed(digits);
export const int = (v: number | null | undefined) =>
  v === null || v === undefined ? dash : Math.round(v).toLocaleString('en-US');
export const ratio = (v: number | null | undefined) =>
  v === null || v === undefined ? dash : v >= 0.1 ? `${v.toFixed(2)}×` : `${v.toPrecision(2)}×`;
export const points = (v: number | null | undefined) =>
  v === null || v === undefined ? dash : `${v >= 0 ? '+' : ''}${v.toFixed(1)}`;

export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return dash;
  if (n < 1024) return `${n} B`;
  if (n < 2 ** 20) return `${(n / 1024).toFixed(0)} KiB`;
  if (n < 2 ** 30) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  return `${(n / 2 ** 30).toFixed(2)} GiB`;
}

/** A Markdown table; cells are already formatted strings. */
export function mdTable(headers: string[], rows: string[][]): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|');
  return [
    `| ${headers.map(esc).join(' | ')} |`,
    `|${headers.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

/** The commit a part of a dataset's entry was measured at: its own, or that of the earlier run it was carried from. */
export const partCommit = (d: Pick<DatasetResult, 'commit' | 'carried'>, part: string) =>
  carriedOrigins(d).find((o) => o.parts.includes(part))?.commit ?? d.commit;
