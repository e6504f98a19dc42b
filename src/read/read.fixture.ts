import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { DataFileError } from '../errors.js';

/**
 * Test helper: a temp directory removed after the file's tests; `file` writes a uniquely named file
 * in it, `pathIn` names one that does not exist.
 */
export function tempFiles(prefix: string): {
  file: (name: string, content: string | Buffer) => string;
  pathIn: (name: string) => string;
} {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  return {
    file: (name, content) => {
      const path = join(dir, `${n++}-${name}`);
      writeFileSync(path, content);
      return path;
    },
    pathIn: (name) => join(dir, name),
  };
}

/** The DataFileError `fn` throws; fails the test if it throws anything else or nothing. */
export function dataError(fn: () => unknown): DataFileError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DataFileError);
    return e as DataFileError;
  }
  throw new Error('expected a DataFileError');
}
