import { SPAN_SHAPES, readSpanFile } from '../../data/extract/read-spans.js';
import { detectLabeledShape } from '../../data/extract/detect.js';
import { readTexts } from '../../read/read-texts.js';
import { normalizeText } from '../../read/read-records.js';
import { textId } from '../../util/hash.js';
import type { GoldText, PoolText } from './types.js';

/**
 * The texts an extraction loop may ask about. A labeled extraction file (CoNLL, entity or attribute
 * JSONL) serves as a pool too: its annotations are ignored, its texts and tokens kept (so a CoNLL
 * pool is tagged on the annotators' tokens). Any other file is read as plain texts. Held in memory:
 * extraction pools are sentences or titles; a classification pool's on-disk index is not used here.
 */
export function readExtractPool(path: string): { texts: PoolText[]; duplicates: number } {
  const { shape } = detectLabeledShape(path);
  const seen = new Set<string>();
  const texts: PoolText[] = [];
  let duplicates = 0;
  const add = (text: string, tokens?: PoolText['tokens']) => {
    const id = textId(normalizeText(text));
    if (seen.has(id)) {
      duplicates++;
      return;
    }
    seen.add(id);
    texts.push({ id, text, ...(tokens ? { tokens } : {}) });
  };
  if ((SPAN_SHAPES as readonly string[]).includes(shape)) {
    for (const ex of readSpanFile(path).examples) add(ex.text, ex.tokens);
  } else {
    const read = readTexts(path);
    duplicates += read.duplicates;
    for (const t of read.rows) add(t);
  }
  return { texts, duplicates };
}

/** The task's gold file, in any extraction shape; a span of a type the task lacks is an error naming the line. */
export function readExtractGold(path: string, types: readonly string[]): GoldText[] {
  return readSpanFile(path, { allowedTypes: types }).examples.map((e) => ({
    text: e.text,
    spans: e.spans,
    ...(e.tokens ? { tokens: e.tokens } : {}),
  }));
}
