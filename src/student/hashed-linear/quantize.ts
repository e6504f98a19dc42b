/**
 * Per-feature int8 quantization: each feature's K weights share one float32 scale (max |w| / 127).
 * The trained model is replaced by its dequantized weights before it is used at all, so the model
 * that answers in memory and the one read back from bytes are the same numbers.
 */
export interface QuantizedRows {
  q: Int8Array;
  scales: Float32Array;
}

/** int8, full float32 scales: what every file before `int4` holds (the sequence student uses it too). */
export function quantizeRows(weights: Float32Array, rows: number, cols: number): QuantizedRows {
  return quantizeRowsTo(weights, rows, cols, 127);
}

/**
 * As `quantizeRows`, with each row's values in -levels..levels (7 for 4-bit weights), and each
 * scale rounded up to `scaleBits` mantissa bits (23 = float32 as is). The values
 * are still stored one per byte: deflate codes such a small alphabet in about its entropy, which
 * for mostly-zero rows is well under 4 bits, and every reader of int8 rows reads these unchanged.
 */
export function quantizeRowsTo(
  weights: Float32Array,
  rows: number,
  cols: number,
  levels: number,
  scaleBits = 23,
): QuantizedRows {
  const q = new Int8Array(rows * cols);
  const scales = new Float32Array(rows);
  for (let f = 0; f < rows; f++) {
    const base = f * cols;
    let max = 0;
    for (let k = 0; k < cols; k++) max = Math.max(max, Math.abs(weights[base + k]));
    const scale = scaleBits < 23 ? roundUpMantissa(max / levels, scaleBits) : Math.fround(max / levels);
    scales[f] = scale;
    if (scale === 0) continue;
    for (let k = 0; k < cols; k++)
      q[base + k] = Math.max(-levels, Math.min(levels, Math.round(weights[base + k] / scale)));
  }
  return { q, scales };
}

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/**
 * The smallest float32 ≥ x with only `bits` mantissa bits: a scale rounded up, so no weight of its
 * row clips, that is two to three bytes of zeros in the file, which deflate all but drops.
 */
export function roundUpMantissa(x: number, bits: number): number {
  F32[0] = x;
  if (F32[0] < x) U32[0]++;
  const drop = 23 - bits;
  U32[0] = (U32[0] + (2 ** drop - 1)) & ~(2 ** drop - 1);
  return F32[0];
}

export function dequantizeRows({ q, scales }: QuantizedRows, cols: number): Float32Array {
  const out = new Float32Array(q.length);
  for (let f = 0; f < scales.length; f++) {
    const base = f * cols;
    const s = scales[f];
    for (let k = 0; k < cols; k++) out[base + k] = q[base + k] * s;
  }
  return out;
}
