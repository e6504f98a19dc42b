import path from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { ModelFileError } from '../errors.js';
import { RUN_FILES } from '../run/run-files.js';

/** The same names a run directory uses, so `train` output and a run's model/ are interchangeable. */
export const MODEL_FILE = path.basename(RUN_FILES.student);
export const CARD_FILE = path.basename(RUN_FILES.card);

/**
 * Accepts what users naturally point at: the `.bin` itself, a `model/` directory, or a whole run
 * directory, and returns the student file inside.
 */
export function resolveModelFile(arg: string, cwd: string): string {
  const p = path.resolve(cwd, arg);
  if (!existsSync(p)) {
    throw new ModelFileError(p, `model not found: ${arg}`, {
      hint: "pass a run's model/ directory (runs/<id>/model) or a student.bin file",
    });
  }
  if (statSync(p).isFile()) return p;
  for (const candidate of [path.join(p, MODEL_FILE), path.join(p, 'model', MODEL_FILE)]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new ModelFileError(p, `no ${MODEL_FILE} in ${arg}`, {
    hint: "pass a run's model/ directory (runs/<id>/model) or a student.bin file",
  });
}
