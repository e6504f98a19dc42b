import { DataFileError } from '../../errors.js';
import { linesOf, readSource } from '../../read/read-source.js';
import { joinTokens } from '../../text/spans/tokenize.js';
import type { Span, SpanExample } from '../../text/spans/types.js';

export interface ReadConllOptions {
  /** The task's types: a tag of any other type is an error naming the line. */
  allowedTypes?: readonly string[];
}

export interface ReadConllResult {
  examples: SpanExample[];
  /** Types in the file, sorted (so the tag set does not depend on which type comes first). */
  types: string[];
  tokens: number;
  /** I-X tags that did not continue an X span and so started one (IOB1 files, or annotation slips). */
  repairedTags: number;
  hash: string;
}

const TAG = /^(?:O|([BI])-(.+))$/;

/**
 * CoNLL columns: one token per line, the token in the first column and its IOB2 tag in the last,
 * tab-separated (or, without tabs, space-separated: CoNLL-2003's four columns read too); a blank
 * line (or one of only tabs, as WNUT-17 writes them) ends a sentence; `-DOCSTART-` lines are
 * skipped. Tokens are joined with single spaces, and each token's offsets kept on the example.
 */
export function readConll(path: string, options: ReadConllOptions = {}): ReadConllResult {
  const { content, hash } = readSource(path);
  const allowed = options.allowedTypes ? new Set(options.allowedTypes) : undefined;
  const examples: SpanExample[] = [];
  const types = new Set<string>();
  let tokens: string[] = [];
  let tags: { bio: 'B' | 'I' | 'O'; type: string }[] = [];
  let firstLine = 0;
  let tokenCount = 0;
  let repairedTags = 0;

  const flush = () => {
    if (tokens.length === 0) return;
    const { text, offsets } = joinTokens(tokens);
    const spans: Span[] = [];
    let open: { first: number; last: number; type: string } | undefined;
    const close = () => {
      if (!open) return;
      const start = offsets[open.first].start;
      const end = offsets[open.last].end;
      spans.push({ start, end, type: open.type, text: text.slice(start, end) });
      open = undefined;
    };
    tags.forEach((t, i) => {
      if (t.bio === 'O') return close();
      if (t.bio === 'I' && open && open.type === t.type) {
        open.last = i;
        return;
      }
      if (t.bio === 'I') repairedTags++;
      close();
      open = { first: i, last: i, type: t.type };
    });
    close();
    examples.push({ text, spans, tokens: offsets, line: firstLine });
    tokenCount += tokens.length;
    tokens = [];
    tags = [];
  };

  for (const { line, text: raw } of linesOf(content)) {
    if (raw.trim() === '') {
      flush();
      continue;
    }
    const cols = raw.includes('\t') ? raw.split('\t') : raw.trim().split(/\s+/);
    const token = cols[0];
    if (token.startsWith('-DOCSTART-')) continue;
    if (cols.length < 2 || token === '') {
      throw new DataFileError(
        path,
        `line ${line}: expected a token and a tag separated by a tab, got ${JSON.stringify(raw)}`,
        {
          line,
          hint: 'write one `token<TAB>tag` per line (tags O, B-type, I-type) and a blank line between sentences',
        },
      );
    }
    const tag = cols[cols.length - 1].trim();
    const m = TAG.exec(tag);
    if (!m) {
      throw new DataFileError(path, `line ${line}: tag ${JSON.stringify(tag)} is not O, B-<type> or I-<type>`, {
        line,
        hint: 'use IOB2 tags: O outside entities, B-person on the first token of a person, I-person on the rest',
      });
    }
    const type = m[2] ?? '';
    if (m[1] && allowed && !allowed.has(type)) {
      throw new DataFileError(
        path,
        `line ${line}: type "${type}" is not one of the task's types (${[...allowed].join(', ')})`,
        {
          line,
          hint: `add "${type}" to the task's types, or fix the tag`,
        },
      );
    }
    if (tokens.length === 0) firstLine = line;
    if (m[1]) types.add(type);
    tokens.push(token);
    tags.push({ bio: (m[1] as 'B' | 'I' | undefined) ?? 'O', type });
  }
  flush();
  if (examples.length === 0) {
    throw new DataFileError(path, `CoNLL file ${path} has no sentences`, {
      hint: 'write one `token<TAB>tag` per line and a blank line between sentences',
    });
  }
  return { examples, types: [...types].sort(), tokens: tokenCount, repairedTags, hash };
}
