import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';

const DAMAGED = 'the run directory is incomplete or not written by distill; distill the task again';

/** A JSON file of a run directory (task.json, summary.json); a clear error naming it when it cannot be read. */
export function readRunJson<T>(file: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (e) {
    throw new ConfigError(`cannot read ${file}: ${(e as Error).message}`, { file, hint: DAMAGED });
  }
}

/** A JSONL file of a run directory (training.jsonl): one value a line, blank lines skipped, a bad line named by number. */
export function readRunJsonl<T>(file: string): T[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read ${file}: ${(e as Error).message}`, { file, hint: DAMAGED });
  }
  const out: T[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      out.push(JSON.parse(line) as T);
    } catch (e) {
      throw new ConfigError(`${file}:${i + 1}: not JSON (${(e as Error).message})`, { file, hint: DAMAGED });
    }
  });
  return out;
}
