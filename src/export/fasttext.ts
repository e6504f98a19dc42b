import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { ExportDir } from './out-dir.js';
import { readRunData, type RunExample } from './run-data.js';
import { splitExamples } from './split.js';
import type { ExportOptions, ExportResult } from './kinds.js';

/**
 * `apprentice export fasttext`: one line per text, `__label__<label> … <text>`, as
 * `fasttext supervised -input train.txt` reads it. fastText splits on whitespace, so label names
 * must have none (spaces become underscores) and texts are folded onto one line.
 */
export const FASTTEXT_FILES = ['train.txt', 'validation.txt'] as const;
const PREFIX = '__label__';

export async function exportFastText(runDir: string, outDir: string, options: ExportOptions): Promise<ExportResult> {
  const run = readRunData(runDir);
  const names = new Map(run.task.labels.map((l) => [l.name, l.name.trim().replace(/\s+/g, '_')]));
  const seen = new Map<string, string>();
  for (const [name, token] of names) {
    const other = seen.get(token);
    if (other !== undefined || token === '')
      throw new ConfigError(`labels "${other ?? ''}" and "${name}" both become "${PREFIX}${token}" in fastText`, {
        field: 'labels',
        hint: 'rename one of the labels so they differ in more than whitespace',
      });
    seen.set(token, name);
  }
  // A text that is only whitespace would be a line of labels alone, which fastText reads as an empty example.
  const usable = run.examples.filter((e) => e.text.trim() !== '' && e.labels.length > 0);
  const { train, validation } = splitExamples(usable, options.validationShare ?? 0.1);
  const line = (e: RunExample) =>
    `${e.labels.map((l) => `${PREFIX}${names.get(l)}`).join(' ')} ${e.text.replace(/\s+/g, ' ').trim()}\n`;
  const out = new ExportDir(outDir, FASTTEXT_FILES, options);
  out.write('train.txt', train.map(line).join(''));
  out.write('validation.txt', validation.map(line).join(''));
  const tokens = new Set(names.values());
  for (const f of FASTTEXT_FILES) checkFastText(out.path(f), tokens);
  return {
    dir: out.dir,
    files: out.written,
    train: train.length,
    validation: validation.length,
    dropped: run.examples.length - usable.length,
    note: 'Train with: fasttext supervised -input train.txt -output model, and test with: fasttext test model.bin validation.txt',
  };
}

/** Every line: one or more known `__label__x` tokens, then a non-empty single-line text. */
function checkFastText(file: string, tokens: Set<string>): void {
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines.pop() !== '') throw new Error(`export bug: ${file} does not end with a newline`);
  lines.forEach((l, i) => {
    const words = l.split(' ');
    let k = 0;
    while (k < words.length && words[k].startsWith(PREFIX)) {
      if (!tokens.has(words[k].slice(PREFIX.length))) throw new Error(`export bug: ${file}:${i + 1} unknown label`);
      k++;
    }
    if (k === 0 || k === words.length || /[\r\n\t]/.test(l))
      throw new Error(`export bug: ${file}:${i + 1} is not "__label__x … text"`);
  });
}
