/**
 * Raw DEFLATE (RFC 1951) decoder, after Mark Adler's puff.c. The model file deflates its sections
 * with node:zlib; the runtime cannot use zlib, and DecompressionStream('deflate-raw') is missing
 * from older browsers and some edge runtimes (and is async per section), so it carries its own
 * ~1 KB decoder. Correctness over speed: models are read once.
 */

const MAX_BITS = 15;

/** Canonical Huffman code: how many codes of each length, and the symbols ordered by code. */
interface Huffman {
  counts: Uint16Array;
  symbols: Uint16Array;
}

const LENGTH_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
  8193, 12289, 16385, 24577,
];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
/** Order in which code-length code lengths are sent (RFC 1951 §3.2.7). */
const CLEN_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

function fail(message: string): never {
  throw new Error(`deflate data is corrupt: ${message}`);
}

function huffman(lengths: ArrayLike<number>, n: number): Huffman {
  const counts = new Uint16Array(MAX_BITS + 1);
  const symbols = new Uint16Array(n);
  for (let s = 0; s < n; s++) counts[lengths[s]]++;
  let left = 1;
  for (let len = 1; len <= MAX_BITS; len++) {
    left = (left << 1) - counts[len];
    if (left < 0) fail('over-subscribed code');
  }
  const offsets = new Uint16Array(MAX_BITS + 1);
  for (let len = 1; len < MAX_BITS; len++) offsets[len + 1] = offsets[len] + counts[len];
  for (let s = 0; s < n; s++) if (lengths[s] !== 0) symbols[offsets[lengths[s]]++] = s;
  return { counts, symbols };
}

let fixed: { lit: Huffman; dist: Huffman } | undefined;

function fixedCodes(): { lit: Huffman; dist: Huffman } {
  if (!fixed) {
    const l = new Uint8Array(288);
    l.fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280, 288);
    fixed = { lit: huffman(l, 288), dist: huffman(new Uint8Array(30).fill(5), 30) };
  }
  return fixed;
}

export function inflateRaw(input: Uint8Array): Uint8Array {
  let pos = 0;
  let bitBuf = 0;
  let bitCount = 0;
  let out = new Uint8Array(Math.max(1024, input.length * 4));
  let outLen = 0;

  const bits = (need: number): number => {
    while (bitCount < need) {
      if (pos >= input.length) fail('unexpected end of input');
      bitBuf |= input[pos++] << bitCount;
      bitCount += 8;
    }
    const v = bitBuf & ((1 << need) - 1);
    bitBuf >>>= need;
    bitCount -= need;
    return v;
  };
  const room = (extra: number): void => {
    if (outLen + extra <= out.length) return;
    const next = new Uint8Array(Math.max(out.length * 2, outLen + extra));
    next.set(out.subarray(0, outLen));
    out = next;
  };
  const decode = (h: Huffman): number => {
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len <= MAX_BITS; len++) {
      code |= bits(1);
      const count = h.counts[len];
      if (code - count < first) return h.symbols[index + (code - first)];
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    return fail('invalid Huffman code');
  };
  const codes = (lit: Huffman, dist: Huffman): void => {
    for (;;) {
      let sym = decode(lit);
      if (sym < 256) {
        room(1);
        out[outLen++] = sym;
      } else if (sym === 256) return;
      else {
        sym -= 257;
        if (sym >= 29) fail('bad length symbol');
        const len = LENGTH_BASE[sym] + bits(LENGTH_EXTRA[sym]);
        const d = decode(dist);
        if (d >= 30) fail('bad distance symbol');
        const back = DIST_BASE[d] + bits(DIST_EXTRA[d]);
        if (back > outLen) fail('distance reaches before the start');
        room(len);
        for (let i = 0; i < len; i++, outLen++) out[outLen] = out[outLen - back];
      }
    }
  };
  const dynamic = (): void => {
    const nLit = bits(5) + 257;
    const nDist = bits(5) + 1;
    const nCode = bits(4) + 4;
    if (nLit > 286 || nDist > 30) fail('too many length or distance codes');
    const lengths = new Uint8Array(320);
    for (let i = 0; i < nCode; i++) lengths[CLEN_ORDER[i]] = bits(3);
    const lenCode = huffman(lengths, 19);
    lengths.fill(0);
    for (let i = 0; i < nLit + nDist; ) {
      const sym = decode(lenCode);
      if (sym < 16) {
        lengths[i++] = sym;
        continue;
      }
      let value = 0;
      let repeat: number;
      if (sym === 16) {
        if (i === 0) fail('repeat with no previous length');
        value = lengths[i - 1];
        repeat = 3 + bits(2);
      } else repeat = sym === 17 ? 3 + bits(3) : 11 + bits(7);
      if (i + repeat > nLit + nDist) fail('too many lengths');
      while (repeat--) lengths[i++] = value;
    }
    if (lengths[256] === 0) fail('no end-of-block code');
    codes(huffman(lengths, nLit), huffman(lengths.subarray(nLit), nDist));
  };

  let last = 0;
  while (!last) {
    last = bits(1);
    const type = bits(2);
    if (type === 0) {
      // Stored: skip to a byte boundary, then LEN and its complement.
      bitBuf = 0;
      bitCount = 0;
      if (pos + 4 > input.length) fail('unexpected end of input');
      const len = input[pos] | (input[pos + 1] << 8);
      if ((len ^ 0xffff) !== (input[pos + 2] | (input[pos + 3] << 8))) fail('stored block length check');
      pos += 4;
      if (pos + len > input.length) fail('unexpected end of input');
      room(len);
      out.set(input.subarray(pos, pos + len), outLen);
      outLen += len;
      pos += len;
    } else if (type === 1) {
      const f = fixedCodes();
      codes(f.lit, f.dist);
    } else if (type === 2) dynamic();
    else fail('invalid block type');
  }
  return out.slice(0, outLen);
}
