import { DataFileError } from '../../errors.js';
import type { RejectedMention } from '../../text/spans/align.js';
import type { AttributeExample, SpanExample } from '../../text/spans/types.js';
import { detectLabeledShape, type LabeledShape } from './detect.js';
import { readConll } from './read-conll.js';
import { attributeSpans, readAttributeJsonl, readEntityJsonl } from './read-jsonl.js';

export type SpanFileShape = Extract<LabeledShape, 'conll' | 'entities-jsonl' | 'attributes-jsonl'>;

export interface SpanFile {
  shape: SpanFileShape;
  examples: SpanExample[];
  /** Types (or attribute names) in the file, sorted. */
  types: string[];
  hash: string;
  /** Attribute files only: the rows as read, for value-level scoring. */
  attributeRows?: AttributeExample[];
  /** Attribute values that could not be placed in their text (normalized values): not trained on, not dropped silently. */
  unplaced: number;
  /** CoNLL only: I-X tags that started a span. */
  repairedTags: number;
}

export function isSpanShape(shape: LabeledShape): shape is SpanFileShape {
  return shape === 'conll' || shape === 'entities-jsonl' || shape === 'attributes-jsonl';
}

/**
 * Reads a labeled extraction file of any shape `init --from-dataset` recognises (CoNLL/IOB2
 * columns, entities JSONL, attributes JSONL) into span examples. With `allowedTypes`, a type the
 * model does not know is an error naming the line (as `eval` does for classification labels).
 */
export function readSpanFile(file: string, options: { allowedTypes?: readonly string[] } = {}): SpanFile {
  const { shape, reason } = detectLabeledShape(file);
  if (shape === 'conll') {
    const r = readConll(file, options);
    return { shape, examples: r.examples, types: r.types, hash: r.hash, unplaced: 0, repairedTags: r.repairedTags };
  }
  if (shape === 'entities-jsonl') {
    const r = readEntityJsonl(file, options);
    return { shape, examples: r.examples, types: r.types, hash: r.hash, unplaced: 0, repairedTags: 0 };
  }
  if (shape === 'attributes-jsonl') {
    const r = readAttributeJsonl(file);
    const allowed = options.allowedTypes ? new Set(options.allowedTypes) : undefined;
    let unplaced = 0;
    const examples = r.rows.map((row) => {
      if (allowed)
        for (const name of Object.keys(row.attributes))
          if (!allowed.has(name))
            throw new DataFileError(
              file,
              `line ${row.line}: attribute "${name}" is not one the model was trained on (${[...allowed].join(', ')})`,
              { line: row.line, hint: 'score the model on a file with the attributes it learned, or retrain it' },
            );
      const placed: { unplaced: RejectedMention[]; example: SpanExample } = attributeSpans(row);
      unplaced += placed.unplaced.length;
      return placed.example;
    });
    return { shape, examples, types: r.attributes, hash: r.hash, attributeRows: r.rows, unplaced, repairedTags: 0 };
  }
  throw new DataFileError(file, `not an extraction file: ${reason}`, {
    hint: 'extraction files are CoNLL columns (token<TAB>tag, IOB2), JSONL {"text", "entities": [{"type", "text"}]} or JSONL {"text", "attributes": {name: [values]}}',
  });
}
