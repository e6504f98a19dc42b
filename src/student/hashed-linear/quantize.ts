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
  const q = new Int8Array(rows * cols);
  const scales = new Float32Array(rows);
  for (let f = 0; f < rows; f++) {
    const base = f * cols;
    let max = 0;
    for (let k = 0; k < cols; k++) max = Math.max(max, Math.abs(weights[base + k]));
    const scale = Math.fround(max / 127);
    scales[f] = scale;
    if (scale === 0) continue;
    for (let k = 0; k < cols; k++) q[base + k] = Math.max(-127, Math.min(127, Math.round(weights[base + k] / scale)));
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
