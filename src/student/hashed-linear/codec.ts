import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { z } from 'zod';
import { ModelFileError } from '../../errors.js';
import { decodeModelFile, encodeModelFile } from '../model-file.js';
import type { HashedLinearState } from './model.js';
import { HashedLinearParamsSchema } from './params.js';
import { dequantizeRows } from './quantize.js';

/**
 * hashed-linear state ⇄ bytes. Sections are deflated: the used-bucket list is delta-varint coded
 * (ascending ids compress to ~2 bytes each), and int8 weights are mostly zeros for any one label.
 * `int4` models are written as `int8` too (values -7..7, one per byte): readers need nothing new.
 * Floats are written little-endian explicitly, so files move between machines.
 */
const CODEC_VERSION = 1;
const KIND = 'hashed-linear';

const HeaderSchema = z.object({
  kind: z.literal(KIND),
  version: z.literal(CODEC_VERSION),
  labels: z.array(z.string()).min(1),
  multiLabel: z.boolean(),
  params: HashedLinearParamsSchema,
  hashing: z.object({
    bits: z.number().int().min(1).max(30),
    wordNgrams: z.number().int().min(1),
    charMin: z.number().int().min(1),
    charMax: z.number().int().min(0),
  }),
  charWeight: z.number(),
  features: z.number().int().min(0),
  weightsFormat: z.enum(['int8', 'float32']),
  temperature: z.number().positive(),
  thresholds: z.array(z.number()).optional(),
  atLeastOne: z.boolean().optional(),
  info: z.record(z.string(), z.union([z.number(), z.string()])),
});

export function encodeState(s: HashedLinearState): Uint8Array {
  const header = {
    kind: KIND,
    version: CODEC_VERSION,
    labels: s.labels,
    multiLabel: s.multiLabel,
    params: s.params,
    hashing: s.hashing,
    charWeight: s.charWeight,
    features: s.buckets.length,
    weightsFormat: s.quantized ? 'int8' : 'float32',
    temperature: s.temperature,
    thresholds: s.thresholds,
    atLeastOne: s.atLeastOne,
    info: s.info,
  };
  const sections: [string, Uint8Array][] = [
    ['buckets', pack(deltaVarints(s.buckets))],
    ['idf', pack(f32(s.idf))],
    ['bias', pack(f32(s.bias))],
  ];
  if (s.quantized) {
    sections.push(['scales', pack(f32(s.quantized.scales))]);
    sections.push([
      'weights',
      pack(new Uint8Array(s.quantized.q.buffer, s.quantized.q.byteOffset, s.quantized.q.byteLength)),
    ]);
  } else sections.push(['weights', pack(f32(s.weights))]);
  return encodeModelFile(header, sections);
}

export function decodeState(bytes: Uint8Array, file = '<bytes>'): HashedLinearState {
  const { header, sections } = decodeModelFile(bytes, file);
  const parsed = HeaderSchema.safeParse(header);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelFileError(file, `hashed-linear header: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const h = parsed.data;
  const F = h.features;
  const K = h.labels.length;
  const section = (name: string): Uint8Array => {
    const raw = sections.get(name);
    if (!raw) throw new ModelFileError(file, `missing section \`${name}\``);
    try {
      return inflateRawSync(raw);
    } catch (cause) {
      throw new ModelFileError(file, `section \`${name}\` does not decompress`, { cause });
    }
  };
  const expect = (name: string, got: number, want: number) => {
    if (got !== want) throw new ModelFileError(file, `section \`${name}\` holds ${got} values, expected ${want}`);
  };
  const buckets = readDeltaVarints(section('buckets'), F, file);
  for (const b of buckets) if (b >= 2 ** h.hashing.bits) throw new ModelFileError(file, 'bucket id out of range');
  const idf = readF32(section('idf'));
  expect('idf', idf.length, F);
  const bias = readF32(section('bias'));
  expect('bias', bias.length, K);
  if (h.multiLabel && h.thresholds?.length !== K)
    throw new ModelFileError(file, `multi-label model needs ${K} thresholds`);
  let weights: Float32Array;
  let quantized: HashedLinearState['quantized'];
  if (h.weightsFormat === 'int8') {
    const scales = readF32(section('scales'));
    expect('scales', scales.length, F);
    const raw = section('weights');
    expect('weights', raw.length, F * K);
    quantized = { q: new Int8Array(raw.buffer, raw.byteOffset, raw.byteLength), scales };
    weights = dequantizeRows(quantized, K);
  } else {
    weights = readF32(section('weights'));
    expect('weights', weights.length, F * K);
  }
  return {
    labels: h.labels,
    multiLabel: h.multiLabel,
    params: h.params,
    hashing: h.hashing,
    charWeight: h.charWeight,
    buckets,
    idf,
    quantized,
    weights,
    bias,
    temperature: h.temperature,
    thresholds: h.thresholds,
    atLeastOne: h.atLeastOne,
    info: h.info,
  };
}

export function pack(b: Uint8Array): Uint8Array {
  return deflateRawSync(b);
}

export function f32(a: Float32Array): Uint8Array {
  const out = new Uint8Array(a.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < a.length; i++) view.setFloat32(i * 4, a[i], true);
  return out;
}

export function readF32(b: Uint8Array): Float32Array {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out = new Float32Array(b.length >>> 2);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

export function deltaVarints(sorted: Int32Array): Uint8Array {
  const out: number[] = [];
  let prev = 0;
  for (const v of sorted) {
    let d = v - prev;
    prev = v;
    while (d >= 0x80) {
      out.push((d & 0x7f) | 0x80);
      d >>>= 7;
    }
    out.push(d);
  }
  return Uint8Array.from(out);
}

export function readDeltaVarints(b: Uint8Array, count: number, file: string): Int32Array {
  const out = new Int32Array(count);
  let at = 0;
  let prev = 0;
  for (let i = 0; i < count; i++) {
    let d = 0;
    let shift = 0;
    for (;;) {
      if (at >= b.length || shift > 28) throw new ModelFileError(file, 'bucket list is truncated');
      const byte = b[at++];
      d |= (byte & 0x7f) << shift;
      shift += 7;
      if (byte < 0x80) break;
    }
    // Ascending and distinct; the first id may be 0.
    if (i > 0 && d === 0) throw new ModelFileError(file, 'bucket list is not strictly ascending');
    prev += d;
    out[i] = prev;
  }
  if (at !== b.length) throw new ModelFileError(file, 'bucket list has trailing bytes');
  return out;
}
