import { DataFileError } from '../errors.js';
import { DEFAULT_MAX_TEXT_CHARS, dataRecords, normalizeText, textOf, type RecordStats } from './read-records.js';
import { formatOf, readSource, type DataFormat } from './read-source.js';

export interface ReadTextsOptions {
  /** Longest text accepted, in characters (default 100,000). */
  maxTextChars?: number;
  /** Parse as this format instead of guessing from the extension. */
  format?: DataFormat;
}

export interface ReadTextsResult {
  /** Unique texts, trimmed, in file order. */
  rows: string[];
  /** Rows dropped because their text (whitespace-normalized) already appeared. */
  duplicates: number;
  skippedBlank: number;
  format: DataFormat;
  /** sha256 of the decoded file content. */
  hash: string;
}

/**
 * Reads an unlabeled pool: JSONL (`text`, `input` or `sentence` field), CSV (a `text` column) or
 * one text per line. Any label fields are ignored: a pool only ever contributes its texts.
 */
export function readTexts(path: string, options: ReadTextsOptions = {}): ReadTextsResult {
  const format = options.format ?? formatOf(path);
  const maxChars = options.maxTextChars ?? DEFAULT_MAX_TEXT_CHARS;
  const { content, hash } = readSource(path);
  const stats: RecordStats = { skippedBlank: 0 };
  const seen = new Set<string>();
  const rows: string[] = [];
  let duplicates = 0;
  for (const record of dataRecords(content, format, path, stats)) {
    const text = textOf(record, path, format, maxChars);
    const key = normalizeText(text);
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    rows.push(text);
  }
  if (rows.length === 0) {
    throw new DataFileError(path, `data file ${path} has no rows`, {
      hint: format === 'csv' ? 'add rows below the header line' : 'put at least one text in the file',
    });
  }
  return { rows, duplicates, skippedBlank: stats.skippedBlank, format, hash };
}
