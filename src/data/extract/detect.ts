import { formatOf, linesOf, readSource } from '../../read/read-source.js';

/**
 * What kind of labeled file this is, from its extension and its first rows, so `init
 * --from-dataset` can pick the task kind and the reader. Reads at most `SAMPLE` non-blank lines.
 */
export type LabeledShape =
  | 'conll' // token<TAB>tag columns: extraction
  | 'entities-jsonl' // {"text", "entities": [...]}: extraction
  | 'attributes-jsonl' // {"text", "attributes": {...}}: extraction (attribute values)
  | 'labels-jsonl' // {"text", "label" | "labels"}: classification
  | 'labels-csv' // CSV with a label column: classification
  | 'texts'; // unlabeled texts

export interface DetectedShape {
  shape: LabeledShape;
  /** Why, in words, for a CLI message. */
  reason: string;
}

const SAMPLE = 50;
const TAG = /^(?:O|[BIES]-.+)$/;

export function detectLabeledShape(file: string): DetectedShape {
  const { content } = readSource(file);
  const lines: string[] = [];
  for (const { text } of linesOf(content)) {
    if (text.trim() !== '') lines.push(text);
    if (lines.length >= SAMPLE) break;
  }
  const format = formatOf(file);
  if (format === 'jsonl' || lines[0]?.trimStart().startsWith('{')) {
    let row: unknown;
    try {
      row = JSON.parse(lines[0]);
    } catch {
      return { shape: 'texts', reason: 'the first line is not JSON; read as plain texts' };
    }
    const r = (row ?? {}) as Record<string, unknown>;
    if (Array.isArray(r.entities)) return { shape: 'entities-jsonl', reason: 'JSONL rows with an "entities" list' };
    if (r.attributes && typeof r.attributes === 'object' && !Array.isArray(r.attributes))
      return { shape: 'attributes-jsonl', reason: 'JSONL rows with an "attributes" object' };
    if (r.label !== undefined || Array.isArray(r.labels))
      return { shape: 'labels-jsonl', reason: 'JSONL rows with a "label" or "labels" field' };
    return { shape: 'texts', reason: 'JSONL rows without labels, entities or attributes' };
  }
  if (format === 'csv') {
    const header =
      lines[0]
        ?.toLowerCase()
        .split(',')
        .map((h) => h.trim().replace(/^"|"$/g, '')) ?? [];
    return header.includes('label') || header.includes('labels')
      ? { shape: 'labels-csv', reason: 'CSV with a label column' }
      : { shape: 'texts', reason: 'CSV without a label column' };
  }
  const tagged = lines.filter((l) => {
    const cols = l.includes('\t') ? l.split('\t') : l.trim().split(/\s+/);
    return cols.length >= 2 && cols[0] !== '' && TAG.test(cols[cols.length - 1].trim());
  }).length;
  // Most lines tagged: a stray line of a few plain texts that happens to end in "O" does not count.
  if (lines.length > 0 && tagged >= 0.9 * lines.length)
    return { shape: 'conll', reason: `${tagged} of the first ${lines.length} lines are token and BIO tag columns` };
  return { shape: 'texts', reason: 'plain lines of text' };
}
