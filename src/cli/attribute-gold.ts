import { readAttributeJsonl } from '../data/extract/read-jsonl.js';
import type { SpanFile } from '../data/extract/read-spans.js';
import { type SpanPredictionRowSource, attributeValueScores } from '../metrics/evaluate-spans.js';

/**
 * For an attribute gold file, ExtractGPT's value-level scores besides the span scores (values as
 * strings, the model's most confident span per attribute); undefined for other shapes. Attributes
 * the model does not know are left out, as the span reader leaves them out.
 */
export function goldAttributeScores(
  shape: SpanFile['shape'],
  file: string,
  types: readonly string[],
  predictions: readonly SpanPredictionRowSource[],
) {
  if (shape !== 'attributes-jsonl') return undefined;
  const known = new Set(types);
  const rows = readAttributeJsonl(file).rows.map((row) => ({
    ...row,
    attributes: Object.fromEntries(Object.entries(row.attributes).filter(([name]) => known.has(name))),
  }));
  return attributeValueScores(rows, predictions);
}
