import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Marker in temp file names, so a takeover can find and remove the leftovers of a killed run. */
export const TEMP_MARKER = '.tmp-';

/**
 * Write a file so that readers see either the old content or the new, never a torn one: write a
 * sibling temp file, fsync it, rename it over the target (rename is atomic within a directory).
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  stageFile(path, data)();
}

/**
 * The slow half of writeFileAtomic (write and fsync a temp file); the returned function does the
 * rename. Lets a caller make several files appear within microseconds of each other.
 */
export function stageFile(path: string, data: string | Uint8Array): () => void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `${basename(path)}${TEMP_MARKER}${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return () => {
    try {
      renameSync(tmp, path);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
  };
}
