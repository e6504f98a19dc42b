import { inflateRaw } from './inflate.js';

/**
 * Reads a student.bin without Node or zod: the "APSM" container (src/student/model-file.ts) and the
 * hashed-linear sections (src/student/hashed-linear/codec.ts). The checks mirror the library's, so a
 * file the library refuses is refused here too, with the same reason.
 */

/** A student.bin the runtime cannot use: not a model, damaged, or of a kind it does not know. */
export class RuntimeModelError extends Error {
  readonly code = 'model-file';
  constructor(message: string) {
    super(message);
    this.name = 'RuntimeModelError';
  }
}

export interface RuntimeHeader {
  kind: 'hashed-linear';
  labels: string[];
  multiLabel: boolean;
  hashing: { bits: number; wordNgrams: number; charMin: number; charMax: number };
  charWeight: number;
  features: number;
  weightsFormat: 'int8' | 'float32';
  temperature: number;
  thresholds?: number[];
  atLeastOne?: boolean;
}

export interface RuntimeState extends RuntimeHeader {
  buckets: Int32Array;
  idf: Float32Array;
  /** Dequantized (int8) or raw float32 weights, feature-major: W[f*K + k]. */
  weights: Float32Array;
  bias: Float32Array;
}

const FORMAT_VERSION = 1;
const CODEC_VERSION = 1;

function fail(message: string): never {
  throw new RuntimeModelError(message);
}

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) {
    crc ^= bytes[i];
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

export function readModel(bytes: Uint8Array): RuntimeState {
  if (bytes.length < 13 || bytes[0] !== 0x41 || bytes[1] !== 0x50 || bytes[2] !== 0x53 || bytes[3] !== 0x4d)
    fail('not an Apprentice model file (bad magic bytes)');
  if (bytes[4] !== FORMAT_VERSION)
    fail(`model format version ${bytes[4]} is not supported (this runtime reads version ${FORMAT_VERSION})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length - 4;
  if (view.getUint32(end, true) !== crc32(bytes.subarray(0, end)))
    fail('checksum mismatch: the file is truncated or corrupted');
  const headerLength = view.getUint32(5, true);
  if (9 + headerLength > end) fail('header runs past the end of the file');
  let h: any;
  try {
    h = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(9, 9 + headerLength)));
  } catch {
    fail('header is not valid JSON');
  }
  checkHeader(h);
  const sections = new Map<string, Uint8Array>();
  let at = 9 + headerLength;
  for (const s of h.sections) {
    if (typeof s?.name !== 'string' || !Number.isInteger(s.bytes) || s.bytes < 0) fail('malformed section entry');
    if (at + s.bytes > end) fail(`section \`${s.name}\` runs past the end of the file`);
    sections.set(s.name, bytes.subarray(at, at + s.bytes));
    at += s.bytes;
  }
  if (at !== end) fail('unexpected bytes after the last section');

  const section = (name: string, want: number, width: number): Uint8Array => {
    const raw = sections.get(name);
    if (!raw) fail(`missing section \`${name}\``);
    let b: Uint8Array;
    try {
      b = inflateRaw(raw);
    } catch {
      fail(`section \`${name}\` does not decompress`);
    }
    if (want >= 0 && b.length !== want * width)
      fail(`section \`${name}\` holds ${Math.floor(b.length / width)} values, expected ${want}`);
    return b;
  };
  const F = h.features;
  const K = h.labels.length;
  const buckets = readDeltaVarints(section('buckets', -1, 1), F);
  for (const b of buckets) if (b >= 2 ** h.hashing.bits) fail('bucket id out of range');
  const idf = f32(section('idf', F, 4));
  const bias = f32(section('bias', K, 4));
  if (h.multiLabel && h.thresholds?.length !== K) fail(`multi-label model needs ${K} thresholds`);
  let weights: Float32Array;
  if (h.weightsFormat === 'int8') {
    const scales = f32(section('scales', F, 4));
    const raw = section('weights', F * K, 1);
    const q = new Int8Array(raw.buffer, raw.byteOffset, raw.byteLength);
    // Same arithmetic as dequantizeRows: int8 × float32 scale, stored as float32.
    weights = new Float32Array(F * K);
    for (let f = 0; f < F; f++) for (let k = 0; k < K; k++) weights[f * K + k] = q[f * K + k] * scales[f];
  } else weights = f32(section('weights', F * K, 4));
  return { ...h, buckets, idf, weights, bias };
}

function checkHeader(h: any): void {
  const isInt = Number.isInteger;
  if (typeof h !== 'object' || h === null || typeof h.kind !== 'string') fail('header has no `kind`');
  if (!Array.isArray(h.sections)) fail('header has no section list');
  if (h.kind !== 'hashed-linear') fail(`model is of student kind "${h.kind}"; this runtime runs hashed-linear`);
  if (h.version !== CODEC_VERSION) fail(`hashed-linear version ${h.version} is not supported`);
  const s = h.hashing;
  const ok =
    Array.isArray(h.labels) &&
    h.labels.length > 0 &&
    h.labels.every((l: unknown) => typeof l === 'string') &&
    typeof h.multiLabel === 'boolean' &&
    typeof s === 'object' &&
    s !== null &&
    isInt(s.bits) &&
    s.bits >= 1 &&
    s.bits <= 30 &&
    isInt(s.wordNgrams) &&
    s.wordNgrams >= 1 &&
    isInt(s.charMin) &&
    s.charMin >= 1 &&
    isInt(s.charMax) &&
    s.charMax >= 0 &&
    typeof h.charWeight === 'number' &&
    isInt(h.features) &&
    h.features >= 0 &&
    (h.weightsFormat === 'int8' || h.weightsFormat === 'float32') &&
    typeof h.temperature === 'number' &&
    h.temperature > 0 &&
    (h.thresholds === undefined || (Array.isArray(h.thresholds) && h.thresholds.every(Number.isFinite)));
  if (!ok) fail('hashed-linear header is malformed');
}

export function f32(b: Uint8Array): Float32Array {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out = new Float32Array(b.length >>> 2);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

export function readDeltaVarints(b: Uint8Array, count: number): Int32Array {
  const out = new Int32Array(count);
  let at = 0;
  let prev = 0;
  for (let i = 0; i < count; i++) {
    let d = 0;
    let shift = 0;
    for (;;) {
      if (at >= b.length || shift > 28) fail('bucket list is truncated');
      const byte = b[at++];
      d |= (byte & 0x7f) << shift;
      shift += 7;
      if (byte < 0x80) break;
    }
    if (i > 0 && d === 0) fail('bucket list is not strictly ascending');
    prev += d;
    out[i] = prev;
  }
  if (at !== b.length) fail('bucket list has trailing bytes');
  return out;
}
