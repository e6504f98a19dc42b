import { DataFileError } from '../errors.js';
import type { LabeledText } from '../core/types.js';
import {
  DEFAULT_MAX_TEXT_CHARS,
  dataRecords,
  normalizeText,
  textOf,
  type DataRecord,
  type RecordStats,
} from './read-records.js';
import { formatOf, readSource, type DataFormat } from './read-source.js';

export interface ReadLabeledOptions {
  /** The task's labels: any other label is an error naming the line. */
  allowedLabels?: readonly string[];
  /** false: every row must carry exactly one label. true: zero or more. Unset: not checked. */
  multiLabel?: boolean;
  /** Longest text accepted, in characters (default 100,000). */
  maxTextChars?: number;
  format?: Exclude<DataFormat, 'lines'>;
}

export interface ReadLabeledResult {
  /** Unique texts (trimmed) with their labels, in file order. */
  rows: LabeledText[];
  /** Rows dropped because their text (whitespace-normalized) already appeared; the first one wins. */
  duplicates: number;
  /** Of the duplicates, how many disagreed with the first row's labels. */
  conflicts: number;
  skippedBlank: number;
  format: Exclude<DataFormat, 'lines'>;
  /** sha256 of the decoded file content. */
  hash: string;
}

/**
 * Reads a labeled file: JSONL `{"text", "label"}` / `{"text", "labels": [...]}`, or CSV with `text`
 * and `label` columns (a `labels` column holds several, separated by `|` or `;`).
 */
export function readLabeled(path: string, options: ReadLabeledOptions = {}): ReadLabeledResult {
  const guessed = options.format ?? formatOf(path);
  if (guessed === 'lines') {
    throw new DataFileError(path, `labeled file ${path} must be JSONL (.jsonl) or CSV (.csv)`, {
      hint: 'write one {"text": "...", "label": "..."} per line in a .jsonl file, or a CSV with `text,label` columns',
    });
  }
  const format = guessed;
  const maxChars = options.maxTextChars ?? DEFAULT_MAX_TEXT_CHARS;
  const allowed = options.allowedLabels ? new Set(options.allowedLabels) : undefined;
  const { content, hash } = readSource(path);
  const stats: RecordStats = { skippedBlank: 0 };
  const firstLabels = new Map<string, string>();
  const rows: LabeledText[] = [];
  let duplicates = 0;
  let conflicts = 0;
  for (const record of dataRecords(content, format, path, stats)) {
    const text = textOf(record, path, format, maxChars);
    const labels = labelsOf(record, path, format);
    checkLabels(record.line, labels, path, options.multiLabel, allowed);
    const key = normalizeText(text);
    const signature = [...labels].sort().join('\u0000');
    const first = firstLabels.get(key);
    if (first !== undefined) {
      duplicates++;
      if (first !== signature) conflicts++;
      continue;
    }
    firstLabels.set(key, signature);
    rows.push({ text, labels });
  }
  if (rows.length === 0) {
    throw new DataFileError(path, `labeled file ${path} has no rows`, {
      hint: 'put at least one labeled row in the file',
    });
  }
  return { rows, duplicates, conflicts, skippedBlank: stats.skippedBlank, format, hash };
}

export function labelsOf(record: DataRecord, file: string, format: DataFormat): string[] {
  const { line, fields } = record;
  const many = fields.labels;
  const one = fields.label;
  let raw: unknown[];
  if (many !== undefined) {
    // An empty CSV cell is an empty label set, which a multi-label task allows.
    if (typeof many === 'string' && format === 'csv') raw = many.split(/[|;]/).filter((s) => s.trim() !== '');
    else if (Array.isArray(many)) raw = many;
    else {
      throw new DataFileError(file, `line ${line}: \`labels\` must be a list of label names`, {
        line,
        hint: 'write e.g. {"text": "...", "labels": ["a", "b"]}',
      });
    }
  } else if (one !== undefined && one !== null) {
    raw = [one];
  } else {
    throw new DataFileError(file, `line ${line} has no label`, {
      line,
      hint:
        format === 'csv'
          ? 'the CSV header needs a `label` column, and every row a value in it'
          : 'give every row a label, e.g. {"text": "...", "label": "billing"}',
    });
  }
  const labels: string[] = [];
  for (const value of raw) {
    // Numeric class ids are common in exported datasets; they name a label just as well.
    const name =
      typeof value === 'number' && Number.isFinite(value)
        ? String(value)
        : typeof value === 'string'
          ? value.trim()
          : undefined;
    if (name === undefined || name === '') {
      throw new DataFileError(file, `line ${line} has an empty or non-text label (${JSON.stringify(value)})`, {
        line,
        hint: 'labels are non-empty names, e.g. "billing"',
      });
    }
    if (!labels.includes(name)) labels.push(name);
  }
  return labels;
}

export function checkLabels(
  line: number,
  labels: string[],
  file: string,
  multiLabel: boolean | undefined,
  allowed: Set<string> | undefined,
): void {
  if (multiLabel === false && labels.length !== 1) {
    throw new DataFileError(file, `line ${line} has ${labels.length} labels but the task is single-label`, {
      line,
      hint: 'give each row exactly one `label`, or set `multiLabel: true` in the task',
    });
  }
  if (!allowed) return;
  for (const label of labels) {
    if (!allowed.has(label)) {
      const known = [...allowed];
      const shown =
        known.length > 20 ? `${known.slice(0, 20).join(', ')}, … (${known.length} in all)` : known.join(', ');
      throw new DataFileError(
        file,
        `line ${line} has label "${label}", which is not one of the task's labels (${shown})`,
        {
          line,
          hint: `add "${label}" to \`labels\` in the task file, or fix the row`,
        },
      );
    }
  }
}
