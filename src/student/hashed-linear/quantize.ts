/**
 * Per-feature int8 quantization: each feature's K weights share one float32 scale (max |w| / 127).
 * The trained model is replaced by its dequantized weights before it is used at all, so the model
 * that answers in memory and the one read back from bytes are the same numbers.
 */
export interface QuantizedRows {
  q: Int8Array;
  scales: Float32Array;
}

export function quantizeRows(weights: Float32Array, rows: number, cols: number): QuantizedRows {
  return quantizeRowsTo(weights, rows, cols, 127);
}

/**
 * As `quantizeRows`, with each row's values in -levels..levels (7 for 4-bit weights). The values
 * are still stored one per byte: deflate codes such a small alphabet in about its entropy, which
 * for mostly-zero rows is well under 4 bits, and every reader of int8 rows reads these unchanged.
 */
export function quantizeRowsTo(weights: Float32Array, rows: number, cols: number, levels: number): QuantizedRows {
  const q = new Int8Array(rows * cols);
  const scales = new Float32Array(rows);
  for (let f = 0; f < rows; f++) {
    const base = f * cols;
    let max = 0;
    for (let k = 0; k < cols; k++) max = Math.max(max, Math.abs(weights[base + k]));
    const scale = Math.fround(max / levels);
    scales[f] = scale;
    if (scale === 0) continue;
    for (let k = 0; k < cols; k++)
      q[base + k] = Math.max(-levels, Math.min(levels, Math.round(weights[base + k] / scale)));
  }
  return { q, scales };
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
