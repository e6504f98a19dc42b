/**
 * Folded copies of a text that remember, for every code unit, which original characters it came
 * from. Searching the folded text and mapping the hit back gives offsets in the original, however
 * folding changed lengths ("İ" lowercases to two code units, NFKD splits "é" into two).
 */
export interface Folded {
  s: string;
  /** Original start offset of each code unit of `s`. */
  starts: number[];
  /** Original end offset (exclusive) of each code unit of `s`. */
  ends: number[];
}

export type FoldMode = 'case' | 'normalized';

const ALNUM = /[\p{L}\p{N}]/u;
/** Word characters for boundary checks: a combining mark belongs to the letter before it. */
const WORD = /[\p{L}\p{M}\p{N}]/u;
const MARKS = /\p{M}/gu;
const MARK = /^\p{M}+$/u;

/**
 * `case`: lowercase only. `normalized`: lowercase, accents stripped, and everything but letters
 * and digits dropped, so "Red, Patent", "red patent" and "RED-PATENT" fold alike.
 */
export function fold(text: string, mode: FoldMode): Folded {
  const out: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  for (const cp of text) {
    const end = at + cp.length;
    let piece = cp.toLowerCase();
    if (mode === 'normalized') {
      piece = cp.normalize('NFKD').replace(MARKS, '').toLowerCase();
      let kept = '';
      for (const c of piece) if (ALNUM.test(c)) kept += c;
      piece = kept;
    }
    // A dropped combining mark still belongs to the letter before it: a hit ending there takes it.
    if (piece === '' && ends.length > 0 && MARK.test(cp)) ends[ends.length - 1] = end;
    for (let i = 0; i < piece.length; i++) {
      starts.push(at);
      ends.push(end);
    }
    out.push(piece);
    at = end;
  }
  return { s: out.join(''), starts, ends };
}

/** Is the code point that ends just before `offset` a letter or digit? */
export function alnumBefore(text: string, offset: number): boolean {
  if (offset <= 0) return false;
  const lo = text.charCodeAt(offset - 1);
  const from = lo >= 0xdc00 && lo <= 0xdfff && offset >= 2 ? offset - 2 : offset - 1;
  return WORD.test(text.slice(from, offset));
}

/** Is the code point starting at `offset` a letter or digit? */
export function alnumAt(text: string, offset: number): boolean {
  if (offset >= text.length) return false;
  const cp = text.codePointAt(offset)!;
  return WORD.test(String.fromCodePoint(cp));
}

/** Levenshtein distance over code points, two rows. */
export function editDistance(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  if (x.length === 0) return y.length;
  if (y.length === 0) return x.length;
  let prev = new Int32Array(y.length + 1);
  let cur = new Int32Array(y.length + 1);
  for (let j = 0; j <= y.length; j++) prev[j] = j;
  for (let i = 1; i <= x.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= y.length; j++) {
      const sub = prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1);
      cur[j] = Math.min(sub, prev[j] + 1, cur[j - 1] + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[y.length];
}

/** 1 − distance / longer length, over code points: 1 is identical, 0 shares nothing. */
export function similarity(a: string, b: string): number {
  const n = Math.max(Array.from(a).length, Array.from(b).length);
  return n === 0 ? 1 : 1 - editDistance(a, b) / n;
}
