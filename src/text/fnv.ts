/**
 * The one FNV-1a of the code base (32-bit, over UTF-16 code units, no substrings allocated). The
 * hashed-linear student's features are built from it, and saved models store weights per hashed
 * bucket, so its output must never change: every other text hash (similarity features, the pool's
 * near-duplicate vectors, MinHash shingles) uses it too rather than keeping a private copy.
 */

export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/** One FNV-1a step: mix the code unit (or any 32-bit value) `c` into `h`. Signed 32-bit result. */
export function fnvStep(h: number, c: number): number {
  return Math.imul(h ^ c, FNV_PRIME);
}

/**
 * FNV-1a of `s[from, to)` starting from `basis` (the standard offset unless a caller seeds its own
 * feature family), as an unsigned 32-bit integer.
 */
export function fnv1a(s: string, basis: number = FNV_OFFSET, from = 0, to: number = s.length): number {
  let h = basis;
  for (let i = from; i < to; i++) h = fnvStep(h, s.charCodeAt(i));
  return h >>> 0;
}

/** murmur3 finalizer: FNV alone leaves the low bits (a bucket index) poorly mixed. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
