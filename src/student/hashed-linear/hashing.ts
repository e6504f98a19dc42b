import { FNV_OFFSET, fmix32, fnv1a, fnvStep } from '../../text/fnv.js';

/**
 * Text → hashed feature ids. Hashes are computed straight from UTF-16 code units (no substrings)
 * with text/fnv.ts, and each feature family gets its own seed so that the word "the" and the char
 * 3-gram "the" land in unrelated buckets. Saved models hold weights per bucket: any change to what
 * this file computes breaks every model already trained (hashing.test.ts pins the buckets).
 */

export interface HashingConfig {
  /** log2 of the number of buckets. */
  bits: number;
  /** Longest word n-gram (1 = unigrams only). */
  wordNgrams: number;
  /** Char n-gram range inside padded words; charMax 0 disables char n-grams. */
  charMin: number;
  charMax: number;
}

const SEED_WORD = 0x2545f491;
const SEED_NGRAM = 0x68e31da4;
const SEED_CHAR = 0x1b873593;
const PAD_START = 0x3c; // '<'
const PAD_END = 0x3e; // '>'

const ASCII = /^[\x00-\x7f]*$/;

/** Lowercase, strip accents, unify apostrophes: variants a user would not call different words. */
export function normalizeText(text: string): string {
  // Most text is ASCII, and NFKD is the slowest step of featurizing it.
  if (ASCII.test(text)) return text.toLowerCase().replace(/`/g, "'");
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'");
}

/** Words (letters/digits, with inner apostrophes) and single punctuation marks: "?" says a lot about intent. */
const TOKEN = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*|'[\p{L}]+|[^\s\p{L}\p{N}]/gu;

export function tokenize(normalized: string): string[] {
  return normalized.match(TOKEN) ?? [];
}

const ALNUM = /[\p{L}\p{N}]/u;

/** Punctuation tokens are single non-alphanumeric chars; only real words get char n-grams. */
function isWord(token: string): boolean {
  return token.length > 1 || ALNUM.test(token);
}

/** Output of `hashText`: bucket ids, word-level and char-level kept apart so each block can be normalized on its own. */
export interface HashedText {
  words: number[];
  chars: number[];
}

export function hashText(text: string, cfg: HashingConfig, out: HashedText = { words: [], chars: [] }): HashedText {
  return hashAscii(text, cfg, out) ?? hashTokens(text, cfg, out);
}

/** The definition: normalize, tokenize, hash each token string. `hashAscii` must agree with it. */
export function hashTokens(text: string, cfg: HashingConfig, out: HashedText = { words: [], chars: [] }): HashedText {
  const mask = (1 << cfg.bits) - 1;
  out.words.length = 0;
  out.chars.length = 0;
  const tokens = tokenize(normalizeText(text));
  const tokenHashes = new Array<number>(tokens.length);
  for (let t = 0; t < tokens.length; t++) {
    const tok = tokens[t];
    const h = fnv1a(tok, FNV_OFFSET ^ SEED_WORD);
    tokenHashes[t] = h;
    out.words.push(fmix32(h) & mask);
    if (cfg.charMax > 0 && isWord(tok)) hashChars(tok, cfg, mask, out.chars);
  }
  for (let n = 2; n <= cfg.wordNgrams; n++) {
    for (let t = 0; t + n <= tokens.length; t++) {
      let h = SEED_NGRAM + n;
      for (let j = 0; j < n; j++) h = fnvStep(h, tokenHashes[t + j]) + j;
      out.words.push(fmix32(h) & mask);
    }
  }
  return out;
}

/** Char n-grams of "<token>", grown one code unit at a time from each start so each window costs one FNV step. */
function hashChars(tok: string, cfg: HashingConfig, mask: number, out: number[]): void {
  const len = tok.length + 2;
  const last = len - 1;
  for (let start = 0; start < len; start++) {
    let h = FNV_OFFSET ^ SEED_CHAR;
    const stop = Math.min(len, start + cfg.charMax);
    for (let i = start; i < stop; i++) {
      const c = i === 0 ? PAD_START : i === last ? PAD_END : tok.charCodeAt(i - 1);
      h = fnvStep(h, c);
      const n = i - start + 1;
      // The whole padded word is the unigram again; skip it.
      if (n >= cfg.charMin && !(start === 0 && i === last)) out.push(fmix32(h + n) & mask);
    }
  }
}

/**
 * The readable feature behind each bucket `hashText` emits, in the same order and with the same
 * count: word n-grams as their tokens joined by a space, char n-grams inside `<word>` padding. Only
 * explanations use it; predictions never build these strings.
 */
export function featureNames(text: string, cfg: HashingConfig): { words: string[]; chars: string[] } {
  const words: string[] = [];
  const chars: string[] = [];
  const tokens = tokenize(normalizeText(text));
  for (const tok of tokens) {
    words.push(tok);
    if (cfg.charMax > 0 && isWord(tok)) {
      const padded = `<${tok}>`;
      const len = padded.length;
      for (let start = 0; start < len; start++) {
        const stop = Math.min(len, start + cfg.charMax);
        for (let i = start; i < stop; i++) {
          const n = i - start + 1;
          if (n >= cfg.charMin && !(start === 0 && i === len - 1)) chars.push(padded.slice(start, i + 1));
        }
      }
    }
  }
  for (let n = 2; n <= cfg.wordNgrams; n++)
    for (let t = 0; t + n <= tokens.length; t++) words.push(tokens.slice(t, t + n).join(' '));
  return { words, chars };
}

/** ASCII as `normalizeText` leaves it: A-Z lowercased, the backtick an apostrophe. */
function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 32 : c === 0x60 ? 0x27 : c;
}
const isAlnum = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
const isLetter = (c: number) => c >= 0x61 && c <= 0x7a;
/** `\s` within ASCII: tab, line feed, vertical tab, form feed, carriage return, space. */
const isSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);

let tokenHashes = new Int32Array(64);

/**
 * `hashTokens` for ASCII text (nearly every text) in one pass over the code units: the same tokens
 * as TOKEN (alphanumeric runs joined by inner apostrophes; an apostrophe and letters; any other
 * single non-space character) found and hashed in place, lowercased on the fly, so no normalized
 * copy, token string or n-gram substring is built. Undefined at the first non-ASCII character (the
 * caller then runs `hashTokens`). hashing.test.ts holds it to `hashTokens`.
 */
function hashAscii(text: string, cfg: HashingConfig, out: HashedText): HashedText | undefined {
  const mask = (1 << cfg.bits) - 1;
  const words = out.words;
  const chars = out.chars;
  words.length = 0;
  chars.length = 0;
  const n = text.length;
  const { charMin, charMax } = cfg;
  let count = 0;
  let p = 0;
  while (p < n) {
    const raw = text.charCodeAt(p);
    // The token loops below stop at anything non-ASCII, so every such character gets here.
    if (raw > 0x7f) return undefined;
    const c = lower(raw);
    if (isSpace(c)) {
      p++;
      continue;
    }
    const start = p;
    if (isAlnum(c)) {
      p++;
      while (p < n && isAlnum(lower(text.charCodeAt(p)))) p++;
      while (p + 1 < n && lower(text.charCodeAt(p)) === 0x27 && isAlnum(lower(text.charCodeAt(p + 1)))) {
        p += 2;
        while (p < n && isAlnum(lower(text.charCodeAt(p)))) p++;
      }
    } else if (c === 0x27 && p + 1 < n && isLetter(lower(text.charCodeAt(p + 1)))) {
      p += 2;
      while (p < n && isLetter(lower(text.charCodeAt(p)))) p++;
    } else p++;
    let h = FNV_OFFSET ^ SEED_WORD;
    for (let i = start; i < p; i++) h = fnvStep(h, lower(text.charCodeAt(i)));
    h >>>= 0;
    if (count === tokenHashes.length) {
      const grown = new Int32Array(count * 2);
      grown.set(tokenHashes);
      tokenHashes = grown;
    }
    tokenHashes[count++] = h;
    words.push(fmix32(h) & mask);
    // Char n-grams of "<token>" for words (not lone punctuation), as `hashChars` grows them.
    if (charMax > 0 && (p - start > 1 || isAlnum(c))) {
      const len = p - start + 2;
      const last = len - 1;
      for (let s = 0; s < len; s++) {
        let g = FNV_OFFSET ^ SEED_CHAR;
        const stop = Math.min(len, s + charMax);
        for (let i = s; i < stop; i++) {
          const ch = i === 0 ? PAD_START : i === last ? PAD_END : lower(text.charCodeAt(start + i - 1));
          g = fnvStep(g, ch);
          const len1 = i - s + 1;
          if (len1 >= charMin && !(s === 0 && i === last)) chars.push(fmix32(g + len1) & mask);
        }
      }
    }
  }
  for (let m = 2; m <= cfg.wordNgrams; m++) {
    for (let t = 0; t + m <= count; t++) {
      let h = SEED_NGRAM + m;
      for (let j = 0; j < m; j++) h = fnvStep(h, tokenHashes[t + j] >>> 0) + j;
      words.push(fmix32(h) & mask);
    }
  }
  return out;
}
