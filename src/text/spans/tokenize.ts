import type { TokenOffsets } from './types.js';

/**
 * Tokens with character offsets, for sequence labeling. Words are runs of letters, marks and
 * digits (so "café", "naïve" with combining accents, and CJK runs stay whole), joined by inner
 * apostrophes, hyphens, dots or slashes ("o'neil", "wi-fi", "2.0ghz", "24/7"); @mentions, #tags
 * and URLs stay one token (social text names entities with them); anything else is one token per
 * code point, so an emoji or a surrogate pair is never split in half.
 */
const TOKEN = /https?:\/\/\S+|www\.\S+|[@#][\p{L}\p{M}\p{N}_]+|[\p{L}\p{M}\p{N}]+(?:['’\-./][\p{L}\p{M}\p{N}]+)*|\S/gu;

export function tokenizeWithOffsets(text: string): TokenOffsets[] {
  const out: TokenOffsets[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
    out.push({ start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** Joins pre-split tokens with single spaces, recording where each one landed (CoNLL input). */
export function joinTokens(tokens: readonly string[]): { text: string; offsets: TokenOffsets[] } {
  const offsets: TokenOffsets[] = [];
  let at = 0;
  for (const tok of tokens) {
    offsets.push({ start: at, end: at + tok.length });
    at += tok.length + 1;
  }
  return { text: tokens.join(' '), offsets };
}
