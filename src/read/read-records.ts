import { DataFileError } from '../errors.js';
import { csvRecords, isBlankRecord } from './read-csv.js';
import { linesOf, type DataFormat } from './read-source.js';

/** One row of a data file, whatever its format, with the line it starts on. */
export interface DataRecord {
  line: number;
  /** JSON object (JSONL), header→cell (CSV) or `{ text }` (plain lines). */
  fields: Record<string, unknown>;
}

export interface RecordStats {
  skippedBlank: number;
}

/** Longest text accepted by default: far above any real input, far below what would stall training. */
export const DEFAULT_MAX_TEXT_CHARS = 100_000;

/** Fields that may hold the text, in order of preference. */
export const TEXT_FIELDS = ['text', 'input', 'sentence'] as const;

export function* dataRecords(
  content: string,
  format: DataFormat,
  file: string,
  stats: RecordStats,
): Generator<DataRecord> {
  if (format === 'csv') {
    yield* csvDataRecords(content, file, stats);
    return;
  }
  for (const { line, text } of linesOf(content)) {
    const record = lineRecord(line, text, format, file);
    if (record) yield record;
    else stats.skippedBlank++;
  }
}

/** One physical line of a JSONL or plain-lines file as a record; undefined when it is blank. */
export function lineRecord(
  line: number,
  text: string,
  format: 'jsonl' | 'lines',
  file: string,
): DataRecord | undefined {
  if (text.trim() === '') return undefined;
  if (format === 'lines') return { line, fields: { text } };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    const start = text.trimStart()[0];
    throw new DataFileError(file, `line ${line} is not valid JSON: ${(cause as Error).message}`, {
      line,
      hint:
        start === '[' && line === 1
          ? 'write JSON Lines: one object per line, not a JSON array'
          : 'each line must be one JSON object, e.g. {"text": "..."}; escape quotes and newlines inside strings',
      cause,
    });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DataFileError(file, `line ${line} is not a JSON object`, {
      line,
      hint: Array.isArray(value)
        ? 'write JSON Lines: one object per line, not a JSON array'
        : 'each line must be one JSON object, e.g. {"text": "..."}',
    });
  }
  return { line, fields: value as Record<string, unknown> };
}

function* csvDataRecords(content: string, file: string, stats: RecordStats): Generator<DataRecord> {
  let header: string[] | undefined;
  let headerLine = 0;
  for (const { line, fields } of csvRecords(content, file)) {
    if (isBlankRecord(fields)) {
      stats.skippedBlank++;
      continue;
    }
    if (!header) {
      header = fields.map((f) => f.trim().toLowerCase());
      headerLine = line;
      continue;
    }
    if (fields.length !== header.length) {
      throw new DataFileError(
        file,
        `line ${line} has ${fields.length} fields but the header (line ${headerLine}) has ${header.length}`,
        {
          line,
          hint: 'wrap texts that contain commas or newlines in double quotes, e.g. "Hello, world"',
        },
      );
    }
    const row: Record<string, unknown> = {};
    header.forEach((name, k) => {
      if (!(name in row)) row[name] = fields[k];
    });
    yield { line, fields: row };
  }
}

/** The record's text, checked: present, a string, not empty, not absurdly long. */
export function textOf(record: DataRecord, file: string, format: DataFormat, maxChars: number): string {
  const key = TEXT_FIELDS.find((k) => record.fields[k] !== undefined);
  const { line } = record;
  if (key === undefined) {
    const found =
      Object.keys(record.fields)
        .slice(0, 8)
        .map((k) => `\`${k}\``)
        .join(', ') || 'none';
    throw new DataFileError(file, `line ${line} has no \`text\` field (fields found: ${found})`, {
      line,
      hint:
        format === 'csv'
          ? 'the CSV header needs a `text` column'
          : 'give every row a "text" field, e.g. {"text": "..."}',
    });
  }
  const value = record.fields[key];
  if (typeof value !== 'string') {
    throw new DataFileError(
      file,
      `line ${line}: \`${key}\` must be a string, got ${value === null ? 'null' : typeof value}`,
      {
        line,
        hint: 'write the text as a JSON string, e.g. {"text": "..."}',
      },
    );
  }
  const text = value.trim();
  if (text === '') {
    throw new DataFileError(file, `line ${line} has an empty text`, {
      line,
      hint: 'remove the line or fill in its text',
    });
  }
  if (text.length > maxChars) {
    throw new DataFileError(
      file,
      `line ${line} has a text of ${text.length.toLocaleString('en-US')} characters; the limit is ${maxChars.toLocaleString('en-US')}`,
      {
        line,
        hint: 'split or truncate long documents (or raise the text length limit); a line that long is usually a broken file',
      },
    );
  }
  return text;
}

/** Two whitespace characters in a row, or whitespace other than a plain space. */
const UNUSUAL_SPACE = /\s\s|[^\S ]/;

/** Key under which texts count as duplicates: the same normalization as text ids (util/hash textId). */
export function normalizeText(text: string): string {
  const trimmed = text.trim();
  // Most texts need no change; testing first is several times faster than always replacing.
  return UNUSUAL_SPACE.test(trimmed) ? trimmed.replace(/\s+/g, ' ') : trimmed;
}
