import { DataFileError } from '../../errors.js';
import { dataRecords, type RecordStats } from '../../read/read-records.js';
import { readSource } from '../../read/read-source.js';
import { alignMentions, type RejectedMention } from '../../text/spans/align.js';
import type { AttributeExample, Span, SpanExample } from '../../text/spans/types.js';

/**
 * Extraction rows in JSONL, two forms:
 *
 *   {"text": "...", "entities": [{"type": "person", "text": "Ada"}, ...]}
 *       entities may also carry `start`/`end` (UTF-16 offsets, end exclusive); without them the
 *       surface string is placed by `alignMentions` (exact, case, normalized; no fuzzy guessing on
 *       gold data), the k-th mention of a string on its k-th occurrence.
 *   {"text": "...", "category": "Shoes", "attributes": {"Brand": ["Crocs"], "Size": []}}
 *       values are strings; an empty list (or "n/a") says the attribute is absent.
 */

export interface ReadEntitiesOptions {
  allowedTypes?: readonly string[];
}

export interface ReadEntitiesResult {
  examples: SpanExample[];
  types: string[];
  /** Entities placed by a case-insensitive or normalized match rather than exactly. */
  inexact: number;
  hash: string;
}

function fail(file: string, line: number, message: string, hint: string): never {
  throw new DataFileError(file, `line ${line}: ${message}`, { line, hint });
}

const ENTITY_HINT = 'write e.g. {"text": "Ada met Bob", "entities": [{"type": "person", "text": "Ada"}]}';

function textField(fields: Record<string, unknown>, file: string, line: number): string {
  const text = fields.text;
  if (typeof text !== 'string' || text.trim() === '')
    fail(file, line, 'has no "text" string', 'give every row a non-empty "text"');
  return text;
}

export function readEntityJsonl(path: string, options: ReadEntitiesOptions = {}): ReadEntitiesResult {
  const { content, hash } = readSource(path);
  const allowed = options.allowedTypes ? new Set(options.allowedTypes) : undefined;
  const stats: RecordStats = { skippedBlank: 0 };
  const examples: SpanExample[] = [];
  const types = new Set<string>();
  let inexact = 0;
  for (const { line, fields } of dataRecords(content, 'jsonl', path, stats)) {
    const text = textField(fields, path, line);
    const entities = fields.entities;
    if (!Array.isArray(entities)) fail(path, line, 'has no "entities" list', ENTITY_HINT);
    const withOffsets: Span[] = [];
    const mentions: { type: string; text: string }[] = [];
    entities.forEach((e, i) => {
      const where = `entity ${i + 1}`;
      if (e === null || typeof e !== 'object' || Array.isArray(e))
        fail(path, line, `${where} is not an object`, ENTITY_HINT);
      const { type, text: surface, start, end } = e as Record<string, unknown>;
      if (typeof type !== 'string' || type.trim() === '') fail(path, line, `${where} has no "type"`, ENTITY_HINT);
      if (allowed && !allowed.has(type))
        fail(
          path,
          line,
          `${where} has type "${type}", not one of the task's types (${[...allowed].join(', ')})`,
          `add "${type}" to the task's types, or fix the row`,
        );
      types.add(type);
      if (start !== undefined || end !== undefined) {
        if (
          !Number.isInteger(start) ||
          !Number.isInteger(end) ||
          (start as number) < 0 ||
          (end as number) > text.length ||
          (start as number) >= (end as number)
        )
          fail(
            path,
            line,
            `${where} has bad offsets start=${String(start)} end=${String(end)} (text length ${text.length})`,
            'offsets are UTF-16 code units, 0 ≤ start < end ≤ text length, end exclusive',
          );
        const slice = text.slice(start as number, end as number);
        if (surface !== undefined && surface !== slice)
          fail(
            path,
            line,
            `${where}: "text" ${JSON.stringify(surface)} differs from the text at its offsets (${JSON.stringify(slice)})`,
            'fix the offsets, or drop them and let the surface string be found',
          );
        withOffsets.push({ start: start as number, end: end as number, type, text: slice });
        return;
      }
      if (typeof surface !== 'string' || surface.trim() === '') fail(path, line, `${where} has no "text"`, ENTITY_HINT);
      mentions.push({ type, text: surface });
    });
    const aligned = alignMentions(text, mentions, { fuzzyThreshold: 1 });
    if (aligned.rejected.length > 0) {
      const r = aligned.rejected[0];
      fail(
        path,
        line,
        `entity ${JSON.stringify(r.text)} (${r.type}) cannot be placed: ${r.reason}`,
        'entity strings must appear in the text, and entities must not overlap; give `start`/`end` to place one explicitly',
      );
    }
    inexact += aligned.spans.filter((s) => s.status !== 'exact').length;
    const spans = [
      ...withOffsets,
      ...aligned.spans.map(({ start, end, type, text: t }) => ({ start, end, type, text: t })),
    ];
    spans.sort((a, b) => a.start - b.start);
    for (let i = 1; i < spans.length; i++) {
      if (spans[i].start < spans[i - 1].end)
        fail(
          path,
          line,
          `entities ${JSON.stringify(spans[i - 1].text)} and ${JSON.stringify(spans[i].text)} overlap`,
          'spans are flat: keep the outer entity, or split them',
        );
    }
    examples.push({ text, spans, line });
  }
  if (examples.length === 0) throw new DataFileError(path, `file ${path} has no rows`, { hint: ENTITY_HINT });
  return { examples, types: [...types].sort(), inexact, hash };
}

export interface ReadAttributesResult {
  rows: AttributeExample[];
  /** Attribute names, sorted. */
  attributes: string[];
  hash: string;
}

const ATTR_HINT =
  'write e.g. {"text": "Crocs Women\'s Jayna, 4 M US", "attributes": {"Brand": ["Crocs"], "Size": ["4 M US"]}}';

export function readAttributeJsonl(path: string): ReadAttributesResult {
  const { content, hash } = readSource(path);
  const stats: RecordStats = { skippedBlank: 0 };
  const rows: AttributeExample[] = [];
  const names = new Set<string>();
  for (const { line, fields } of dataRecords(content, 'jsonl', path, stats)) {
    const text = textField(fields, path, line);
    const attrs = fields.attributes;
    if (attrs === null || typeof attrs !== 'object' || Array.isArray(attrs))
      fail(path, line, 'has no "attributes" object', ATTR_HINT);
    const attributes: Record<string, string[]> = {};
    for (const [name, raw] of Object.entries(attrs as Record<string, unknown>)) {
      const list = typeof raw === 'string' ? [raw] : raw;
      if (!Array.isArray(list) || list.some((v) => typeof v !== 'string'))
        fail(path, line, `attribute "${name}" must be a list of strings`, ATTR_HINT);
      attributes[name] = (list as string[]).map((v) => v.trim()).filter((v) => v !== '' && v !== 'n/a');
      names.add(name);
    }
    const category = typeof fields.category === 'string' ? fields.category : undefined;
    rows.push({ text, attributes, line, ...(category !== undefined ? { category } : {}) });
  }
  if (rows.length === 0) throw new DataFileError(path, `file ${path} has no rows`, { hint: ATTR_HINT });
  return { rows, attributes: [...names].sort(), hash };
}

/**
 * An attribute row as spans, for training a tagger on it: every value placed in the text (exact,
 * case, normalized). Values that are not in the text (normalized values, or alternatives that
 * overlap a longer one) come back in `unplaced`, never dropped silently.
 */
export function attributeSpans(row: AttributeExample): { example: SpanExample; unplaced: RejectedMention[] } {
  const mentions = Object.entries(row.attributes).flatMap(([type, values]) => values.map((text) => ({ type, text })));
  const { spans, rejected } = alignMentions(row.text, mentions, { fuzzyThreshold: 1 });
  return {
    example: {
      text: row.text,
      spans: spans.map(({ start, end, type, text }) => ({ start, end, type, text })),
      line: row.line,
    },
    unplaced: rejected,
  };
}
