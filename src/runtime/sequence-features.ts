/**
 * The sequence-perceptron student's tokenizer and featurizer, for the extraction runtime. The
 * runtime is a leaf (it imports nothing from src/), so this is a copy of src/text/spans/tokenize.ts,
 * src/text/fnv.ts (fnv1a, fmix32) and src/student/sequence/features.ts, with the same strings in the
 * same order. extract.test.ts in src/export compares every span and score with the library's, so a
 * change there that is not made here fails it.
 */
export interface TokenOffsets {
  start: number;
  end: number;
}

const TOKEN = /https?:\/\/\S+|www\.\S+|[@#][\p{L}\p{M}\p{N}_]+|[\p{L}\p{M}\p{N}]+(?:['’\-./][\p{L}\p{M}\p{N}]+)*|\S/gu;

export function tokenizeWithOffsets(text: string): TokenOffsets[] {
  const out: TokenOffsets[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
    out.push({ start: m.index, end: m.index + m[0].length });
  }
  return out;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnv1a(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
export interface FeatureConfig {
  bits: number;
  window: number;
  charNgramMax: number;
  affixMax: number;
}

/** All features of one sentence: token i owns ids[offsets[i] .. offsets[i+1]). */
export interface SentenceFeatures {
  ids: Int32Array;
  offsets: Int32Array;
}

function hash(s: string): number {
  return fmix32(fnv1a(s));
}

const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
const DIGIT = /\p{N}/u;
const LETTER = /\p{L}/u;
const SURROGATE = /[\uD800-\uDFFF]/;

/** "Apple" → "Xxxxx", "iPhone12" → "xXxxxxdd"; capped at 8 so long words share a shape. */
function shape(word: string): string {
  let out = '';
  for (const c of word) {
    out += UPPER.test(c) ? 'X' : LOWER.test(c) ? 'x' : DIGIT.test(c) ? 'd' : LETTER.test(c) ? 'l' : c;
    if (out.length >= 8) break;
  }
  return out;
}

/** Runs collapsed: "Xxxxx" → "Xx", "dd.dd" → "d.d". */
function shortShape(s: string): string {
  let out = '';
  for (const c of s) if (out[out.length - 1] !== c) out += c;
  return out;
}

function flags(word: string): string[] {
  const out: string[] = [];
  const first = word.codePointAt(0)!;
  const firstChar = String.fromCodePoint(first);
  if (UPPER.test(firstChar)) out.push(word === word.toUpperCase() && word.length > 1 ? 'f:caps' : 'f:title');
  if (DIGIT.test(word)) out.push(/^\p{N}+$/u.test(word) ? 'f:num' : 'f:hasnum');
  if (word.startsWith('@')) out.push('f:at');
  if (word.startsWith('#')) out.push('f:hash');
  if (/^(https?:|www\.)/i.test(word)) out.push('f:url');
  if (!/[\p{L}\p{N}]/u.test(word)) out.push('f:punct');
  if (word.includes('-')) out.push('f:hyphen');
  return out;
}

interface TokenInfo {
  word: string;
  lower: string;
  shape: string;
  title: boolean;
}

/**
 * Calls `emit(i, feature)` for every feature string of every token, in a fixed order. Shared by the
 * student (which hashes them) and the CRFsuite peer in bench/extract (which takes the strings), so
 * the comparison is over one feature family.
 */
export function tokenFeatures(
  text: string,
  tokens: readonly TokenOffsets[],
  cfg: Omit<FeatureConfig, 'bits'>,
  emit: (i: number, feature: string) => void,
): void {
  const n = tokens.length;
  const info: TokenInfo[] = tokens.map(({ start, end }) => {
    const word = text.slice(start, end);
    const s = shape(word);
    return { word, lower: word.toLowerCase(), shape: s, title: s[0] === 'X' };
  });
  const at = (i: number, field: 'lower' | 'shape'): string => (i < 0 ? '<s>' : i >= n ? '</s>' : info[i][field]);
  for (let i = 0; i < n; i++) {
    const push = (f: string) => emit(i, f);
    const { word, lower, shape: sh } = info[i];
    push('b');
    push(`w:${word}`);
    push(`l:${lower}`);
    push(`s:${sh}`);
    push(`ss:${shortShape(sh)}`);
    // Code points, not code units, so an affix or n-gram never holds half a surrogate pair; most
    // words have none, and plain string slicing is the fast path for them.
    const chars = SURROGATE.test(lower) ? Array.from(lower) : lower;
    const piece = (from: number, to: number) =>
      typeof chars === 'string' ? chars.slice(from, to) : chars.slice(from, to).join('');
    const len = chars.length;
    for (let k = 1; k <= Math.min(cfg.affixMax, len); k++) {
      push(`p${k}:${piece(0, k)}`);
      push(`x${k}:${piece(len - k, len)}`);
    }
    if (cfg.charNgramMax >= 3 && len > 1) {
      for (let n = 3; n <= cfg.charNgramMax; n++) {
        // Windows over "<" + word + ">": position -1 is "<", position len is ">".
        for (let s = -1; s + n <= len + 1; s++) {
          const from = Math.max(0, s);
          const to = Math.min(len, s + n);
          push(`c:${s < 0 ? '<' : ''}${piece(from, to)}${s + n > len ? '>' : ''}`);
        }
      }
    }
    for (const f of flags(word)) push(f);
    for (let d = 1; d <= cfg.window; d++) {
      push(`l-${d}:${at(i - d, 'lower')}`);
      push(`l+${d}:${at(i + d, 'lower')}`);
      if (d === 1) {
        push(`s-1:${at(i - 1, 'shape')}`);
        push(`s+1:${at(i + 1, 'shape')}`);
        push(`b-1:${at(i - 1, 'lower')}|${lower}`);
        push(`b+1:${lower}|${at(i + 1, 'lower')}`);
        push(`t-1:${i > 0 && info[i - 1].title}|${info[i].title}`);
      }
    }
    if (i === 0) push('pos:first');
    if (i === n - 1) push('pos:last');
  }
}

export function sentenceFeatures(text: string, tokens: readonly TokenOffsets[], cfg: FeatureConfig): SentenceFeatures {
  const n = tokens.length;
  const mask = (1 << cfg.bits) - 1;
  const ids: number[] = [];
  const offsets = new Int32Array(n + 1);
  let current = -1;
  tokenFeatures(text, tokens, cfg, (i, f) => {
    // Features arrive token by token, so token i starts where the first of its features lands.
    while (current < i) offsets[++current] = ids.length;
    ids.push(hash(f) & mask);
  });
  while (current < n) offsets[++current] = ids.length;
  return { ids: Int32Array.from(ids), offsets };
}
