import { DataFileError } from '../../errors.js';
import type { SpanExample } from '../../text/spans/types.js';
import { detectLabeledShape, type LabeledShape } from './detect.js';
import { readConll } from './read-conll.js';
import { attributeSpans, readAttributeJsonl, readEntityJsonl } from './read-jsonl.js';

export interface SpanFile {
  shape: Extract<LabeledShape, 'conll' | 'entities-jsonl' | 'attributes-jsonl'>;
  examples: SpanExample[];
  /** Types (or attribute names) in the file, sorted. */
  types: string[];
  /** Attribute values that could not be placed in their text (attribute files only). */
  unplaced: number;
  hash: string;
}

/** Shapes an extraction task reads its labeled files in. */
export const SPAN_SHAPES: readonly SpanFile['shape'][] = ['conll', 'entities-jsonl', 'attributes-jsonl'];

/**
 * Any labeled extraction file, whatever its shape (CoNLL/BIO columns, entity JSONL, attribute
 * JSONL), as span examples. With `allowedTypes`, a span of another type is an error naming the line
 * (CoNLL and entity files); attribute values of other names are left out, as an attribute file
 * often carries more attributes than a task asks for.
 */
export function readSpanFile(path: string, options: { allowedTypes?: readonly string[] } = {}): SpanFile {
  const { shape, reason } = detectLabeledShape(path);
  if (shape === 'conll') {
    const r = readConll(path, options);
    return { shape, examples: r.examples, types: r.types, unplaced: 0, hash: r.hash };
  }
  if (shape === 'entities-jsonl') {
    const r = readEntityJsonl(path, options);
    return { shape, examples: r.examples, types: r.types, unplaced: 0, hash: r.hash };
  }
  if (shape === 'attributes-jsonl') {
    const r = readAttributeJsonl(path);
    const keep = options.allowedTypes ? new Set(options.allowedTypes) : undefined;
    let unplaced = 0;
    const examples = r.rows.map((row) => {
      const attributes = keep
        ? Object.fromEntries(Object.entries(row.attributes).filter(([name]) => keep.has(name)))
        : row.attributes;
      const placed = attributeSpans({ ...row, attributes });
      unplaced += placed.unplaced.length;
      return placed.example;
    });
    const types = keep ? r.attributes.filter((a) => keep.has(a)) : r.attributes;
    return { shape, examples, types, unplaced, hash: r.hash };
  }
  throw new DataFileError(path, `${path} is not a labeled extraction file (${reason})`, {
    hint:
      'give CoNLL columns (token<TAB>BIO tag, blank line between sentences), JSONL {"text", "entities": [{"type", "text"}]} ' +
      'or JSONL {"text", "attributes": {name: [values]}}',
  });
}
