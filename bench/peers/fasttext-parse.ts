import { decodeMultiLabel } from '../lib/decode.js';

/** fastText's label token for a dataset label (it splits on whitespace). */
export const ftLabel = (l: string) => `__label__${l.replace(/\s/g, '_')}`;

/**
 * Labels per row from `fasttext predict MODEL FILE 1` (single-label: one token per line, or an empty
 * line for a text with no tokens) or `fasttext predict-prob MODEL FILE -1 0` (multi-label: every
 * label with its probability, decoded by the shared rule). `labels` maps tokens back to names.
 */
export function parseFastTextPredictions(
  stdout: string,
  rows: number,
  labels: readonly string[],
  multi: { atLeastOne: boolean } | null,
): string[][] {
  const byToken = new Map(labels.map((l) => [ftLabel(l), l]));
  const name = (t: string) => byToken.get(t) ?? t.replace(/^__label__/, '');
  // One newline-terminated line per text, an empty one for a text with no tokens: count exactly.
  const lines = stdout.endsWith('\n') ? stdout.slice(0, -1).split('\n') : stdout === '' ? [] : stdout.split('\n');
  if (lines.length !== rows) throw new Error(`fastText printed ${lines.length} lines for ${rows} texts`);
  return lines.map((line) => {
    const tokens = line.split(' ').filter(Boolean);
    if (!multi) return tokens.map(name);
    const scored: { label: string; score: number }[] = [];
    for (let i = 0; i + 1 < tokens.length; i += 2) {
      const score = Number(tokens[i + 1]);
      if (!tokens[i].startsWith('__label__') || Number.isNaN(score))
        throw new Error(`unexpected fastText predict-prob output: ${line.slice(0, 200)}`);
      scored.push({ label: name(tokens[i]), score });
    }
    return decodeMultiLabel(scored, 0.5, multi.atLeastOne);
  });
}
