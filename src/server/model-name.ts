import path from 'node:path';
import { ConfigError } from '../errors.js';

/** Names go into URLs and metric labels: keep them to characters that need no escaping in either. */
export const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * The name a model is served under when no --name is given: the run's name for a run directory or
 * its model/ directory, the directory's name for any other directory holding student.bin, and the
 * file's stem for a differently named .bin.
 */
export function defaultModelName(file: string): string {
  const dir = path.dirname(file);
  let name: string;
  if (path.basename(file) !== 'student.bin') name = path.basename(file, path.extname(file));
  else if (path.basename(dir) === 'model') name = path.basename(path.dirname(dir));
  else name = path.basename(dir);
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return cleaned || 'model';
}

/** Pairs model files with their names (given ones first, in order), refusing bad and duplicate names. */
export function nameModels(files: readonly string[], given: readonly string[] = []): { name: string; file: string }[] {
  if (given.length > files.length)
    throw new ConfigError(`${given.length} --name values for ${files.length} models`, {
      field: '--name',
      hint: 'give at most one --name per model, in the same order as the models',
    });
  const out = files.map((file, i) => ({ name: given[i] ?? defaultModelName(file), file }));
  const seen = new Set<string>();
  for (const { name, file } of out) {
    if (!MODEL_NAME.test(name))
      throw new ConfigError(`model name "${name}" is not allowed`, {
        field: '--name',
        hint: 'use letters, digits, ".", "_" and "-" (starting with a letter or digit), at most 128 characters',
      });
    if (seen.has(name))
      throw new ConfigError(`two models are named "${name}" (the second is ${file})`, {
        field: '--name',
        hint: 'give each model its own name with --name, one per model in order',
      });
    seen.add(name);
  }
  return out;
}
