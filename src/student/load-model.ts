import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ModelFileError } from '../errors.js';
import { loadStudent } from './registry.js';
import type { SpanStudent } from './sequence/types.js';
import { isSpanStudentModel, loadSpanStudent } from './span-registry.js';
import type { Student } from './types.js';

/**
 * One loader for every model file, classification or extraction: both registries save into the
 * APSM container with the kind in the header, so the file says what it is and `loadModel`
 * dispatches on that before any kind-specific decoding. What `eval`, `predict`, `serve` and
 * `export runtime` use; a classification model loads exactly as `loadStudent` loads it.
 */
export type LoadedModel = { task: 'classify'; student: Student } | { task: 'extract'; student: SpanStudent };

export function loadModel(source: Uint8Array | string): LoadedModel {
  const file = typeof source === 'string' ? source : '<bytes>';
  let bytes: Uint8Array;
  try {
    bytes = typeof source === 'string' ? readFileSync(source) : source;
  } catch (cause) {
    throw new ModelFileError(file, `cannot read model file: ${(cause as Error).message}`, {
      cause,
      hint: 'check the path, or train a model first',
    });
  }
  try {
    return isSpanStudentModel(bytes)
      ? { task: 'extract', student: loadSpanStudent(bytes) }
      : { task: 'classify', student: loadStudent(bytes) };
  } catch (e) {
    // The loaders were handed bytes; put the path back into the error.
    if (e instanceof ModelFileError && file !== e.file)
      throw new ModelFileError(file, e.message, { cause: e, hint: e.hint });
    throw e;
  }
}

/** Writes an extraction model atomically (temp file, then rename), as saveStudent does. Returns the byte count. */
export function saveSpanStudent(student: SpanStudent, path: string): number {
  const bytes = student.toBytes();
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Date.now().toString(36)}`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return bytes.length;
}
