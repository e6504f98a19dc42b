import { closeSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { DataFileError } from '../errors.js';
import type { SourceLine } from './read-source.js';

const CHUNK = 1 << 20;
const BOM = [0xef, 0xbb, 0xbf];

export interface StreamedSource {
  /** sha256 of the file's bytes after the BOM: equal to read-source's hash of the decoded content. */
  hash: string;
  /** Bytes read (after the BOM). */
  bytes: number;
}

/**
 * Physical lines of a file, read in 1 MiB chunks so that a pool of any size costs one chunk of
 * memory. Decoded as strict UTF-8 line by line (0x0A never occurs inside a multi-byte sequence, so
 * each line decodes alone); the error names the line, as readSource's does. `onLine` sees each line
 * with CR stripped; the result's hash identifies the data as readSource's does.
 */
export function streamLines(path: string, onLine: (line: SourceLine) => void): StreamedSource {
  const fd = openFile(path);
  const digest = createHash('sha256');
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const buffer = Buffer.allocUnsafe(CHUNK);
  let carry: Buffer = Buffer.alloc(0);
  let line = 1;
  let first = true;
  let total = 0;
  let blankOnly = true;
  const emit = (bytes: Buffer) => {
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch (cause) {
      throw new DataFileError(path, `data file ${path} is not valid UTF-8 (first bad byte on line ${line})`, {
        line,
        hint: 'save the file as UTF-8, e.g. `iconv -f latin1 -t utf-8 in.txt > out.txt`',
        cause,
      });
    }
    if (text.length > 0 && text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    if (blankOnly && text.trim() !== '') blankOnly = false;
    onLine({ line, text });
    line++;
  };
  try {
    for (;;) {
      let n = readSync(fd, buffer, 0, CHUNK, null);
      if (n === 0) break;
      let chunk = buffer.subarray(0, n);
      if (first) {
        first = false;
        if (n >= 3 && chunk[0] === BOM[0] && chunk[1] === BOM[1] && chunk[2] === BOM[2]) {
          chunk = chunk.subarray(3);
          n -= 3;
        }
      }
      digest.update(chunk);
      total += n;
      let start = 0;
      let end = chunk.indexOf(0x0a, start);
      while (end !== -1) {
        const piece = chunk.subarray(start, end);
        emit(carry.length > 0 ? Buffer.concat([carry, piece]) : piece);
        carry = Buffer.alloc(0);
        start = end + 1;
        end = chunk.indexOf(0x0a, start);
      }
      // The partial last line is copied: the buffer is reused by the next read.
      carry = Buffer.concat([carry, chunk.subarray(start)]);
    }
    if (carry.length > 0) emit(carry);
  } finally {
    closeSync(fd);
  }
  if (total === 0) {
    throw new DataFileError(path, `data file ${path} is empty`, { hint: 'put at least one row in the file' });
  }
  if (blankOnly) {
    throw new DataFileError(path, `data file ${path} is empty (only whitespace)`, {
      hint: 'put at least one row in the file',
    });
  }
  return { hash: digest.digest('hex'), bytes: total };
}

function openFile(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String((cause as Error).message);
    throw new DataFileError(path, `cannot read data file ${path}: ${why}`, {
      hint: "check the path (relative paths in a task file are relative to the task file's directory)",
      cause,
    });
  }
}
