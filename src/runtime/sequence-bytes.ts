import { inflateRaw } from './inflate.js';
import { crc32, f32, RuntimeModelError, readDeltaVarints } from './model-bytes.js';

/**
 * Reads a sequence-perceptron student.bin without Node or zod: the "APSM" container
 * (src/student/model-file.ts) and the sections of src/student/sequence/codec.ts. The checks mirror
 * the library's, so a file the library refuses is refused here too.
 */
export interface SequenceRuntimeState {
  types: string[];
  features: { bits: number; window: number; charNgramMax: number; affixMax: number };
  buckets: Int32Array;
  /** [buckets.length][T], dequantized as the library does (int8 × float32 scale, stored float32). */
  rows: Float32Array;
  trans: Float32Array;
  start: Float32Array;
  temperature: number;
  outsideBias: number;
}

function fail(message: string): never {
  throw new RuntimeModelError(message);
}

const isInt = Number.isInteger;

export function readSequenceModel(bytes: Uint8Array): SequenceRuntimeState {
  if (bytes.length < 13 || bytes[0] !== 0x41 || bytes[1] !== 0x50 || bytes[2] !== 0x53 || bytes[3] !== 0x4d)
    fail('not an Apprentice model file (bad magic bytes)');
  if (bytes[4] !== 1) fail(`model format version ${bytes[4]} is not supported (this runtime reads version 1)`);
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
  if (typeof h !== 'object' || h === null || typeof h.kind !== 'string') fail('header has no `kind`');
  if (!Array.isArray(h.sections)) fail('header has no section list');
  if (h.kind !== 'sequence-perceptron')
    fail(`model is of student kind "${h.kind}"; this runtime runs sequence-perceptron (extraction) models`);
  if (h.version !== 1) fail(`sequence-perceptron version ${h.version} is not supported`);
  const f = h.features;
  const ok =
    Array.isArray(h.types) &&
    h.types.length > 0 &&
    h.types.every((t: unknown) => typeof t === 'string') &&
    typeof f === 'object' &&
    f !== null &&
    isInt(f.bits) &&
    f.bits >= 1 &&
    f.bits <= 24 &&
    isInt(f.window) &&
    f.window >= 0 &&
    isInt(f.charNgramMax) &&
    f.charNgramMax >= 0 &&
    isInt(f.affixMax) &&
    f.affixMax >= 0 &&
    isInt(h.rows) &&
    h.rows >= 0 &&
    (h.weightsFormat === 'int8' || h.weightsFormat === 'float32') &&
    typeof h.temperature === 'number' &&
    h.temperature > 0 &&
    Number.isFinite(h.outsideBias);
  if (!ok) fail('sequence-perceptron header is malformed');

  const sections = new Map<string, Uint8Array>();
  let at = 9 + headerLength;
  for (const s of h.sections) {
    if (typeof s?.name !== 'string' || !isInt(s.bytes) || s.bytes < 0) fail('malformed section entry');
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
  const T = 1 + 2 * h.types.length;
  const R = h.rows;
  const buckets = readDeltaVarints(section('buckets', -1, 1), R);
  for (const b of buckets) if (b >= 2 ** f.bits) fail('bucket id out of range');
  const trans = f32(section('trans', T * T, 4));
  const start = f32(section('start', T, 4));
  let rows: Float32Array;
  if (h.weightsFormat === 'int8') {
    const scales = f32(section('scales', R, 4));
    const raw = section('weights', R * T, 1);
    const q = new Int8Array(raw.buffer, raw.byteOffset, raw.byteLength);
    // Same arithmetic as dequantizeRows: int8 × float32 scale, stored as float32.
    rows = new Float32Array(R * T);
    for (let r = 0; r < R; r++) for (let t = 0; t < T; t++) rows[r * T + t] = q[r * T + t] * scales[r];
  } else rows = f32(section('weights', R * T, 4));
  return {
    types: h.types.slice(),
    features: { bits: f.bits, window: f.window, charNgramMax: f.charNgramMax, affixMax: f.affixMax },
    buckets,
    rows,
    trans,
    start,
    temperature: h.temperature,
    outsideBias: h.outsideBias,
  };
}
