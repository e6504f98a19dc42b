import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { DataFileError } from '../errors.js';
import { sha256 } from '../util/hash.js';

/** How a data file is parsed, decided by its extension. */
export type DataFormat = 'jsonl' | 'csv' | 'lines';

export function formatOf(path: string): DataFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.jsonl' || ext === '.json' || ext === '.ndjson') return 'jsonl';
  if (ext === '.csv') return 'csv';
  return 'lines';
}

export interface SourceText {
  /** Decoded content, BOM removed. */
  content: string;
  /** sha256 of the decoded content: identifies the file's data for cache keys. */
  hash: string;
}

const BOM = [0xef, 0xbb, 0xbf];

/**
 * Reads a whole data file as strict UTF-8. Strict because a mis-encoded file would otherwise be
 * read as mojibake and silently become training data.
 */
export function readSource(path: string): SourceText {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : String((cause as Error).message);
    throw new DataFileError(path, `cannot read data file ${path}: ${why}`, {
      hint: "check the path (relative paths in a task file are relative to the task file's directory)",
      cause,
    });
  }
  if (bytes.length >= 3 && bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2]) {
    bytes = bytes.subarray(3);
  }
  if (bytes.length === 0) {
    throw new DataFileError(path, `data file ${path} is empty`, { hint: 'put at least one row in the file' });
  }
  let content: string;
  try {
    // ignoreBOM: the BOM is already gone; a second one would be data and must stay visible.
    content = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (cause) {
    const line = firstBadLine(bytes);
    throw new DataFileError(path, `data file ${path} is not valid UTF-8 (first bad byte on line ${line})`, {
      line,
      hint: 'save the file as UTF-8, e.g. `iconv -f latin1 -t utf-8 in.txt > out.txt`',
      cause,
    });
  }
  if (content.trim() === '') {
    throw new DataFileError(path, `data file ${path} is empty (only whitespace)`, {
      hint: 'put at least one row in the file',
    });
  }
  return { content, hash: sha256(content) };
}

/** 1-based line of the first invalid UTF-8 sequence. 0x0A never occurs inside a multi-byte sequence, so lines decode independently. */
function firstBadLine(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let start = 0;
  let line = 1;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    try {
      decoder.decode(bytes.subarray(start, end));
    } catch {
      return line;
    }
    start = end + 1;
    line++;
  }
  return line - 1;
}

export interface SourceLine {
  /** 1-based physical line number. */
  line: number;
  text: string;
}

/** Physical lines with CR stripped, without copying the whole file into an array. */
export function* linesOf(content: string): Generator<SourceLine> {
  let start = 0;
  let line = 1;
  while (start < content.length) {
    let end = content.indexOf('\n', start);
    if (end === -1) end = content.length;
    const stop = end > start && content.charCodeAt(end - 1) === 13 ? end - 1 : end;
    yield { line, text: content.slice(start, stop) };
    start = end + 1;
    line++;
  }
}
