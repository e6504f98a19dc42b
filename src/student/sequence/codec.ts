import { inflateRawSync } from 'node:zlib';
import { z } from 'zod';
import { ModelFileError } from '../../errors.js';
import { deltaVarints, f32, pack, readDeltaVarints, readF32 } from '../hashed-linear/codec.js';
import { dequantizeRows } from '../hashed-linear/quantize.js';
import { decodeModelFile, encodeModelFile } from '../model-file.js';
import type { SequenceState } from './model.js';
import { SequencePerceptronParamsSchema } from './params.js';

/** sequence-perceptron state ⇄ bytes, in the APSM container; sections deflated, floats little-endian. */
const CODEC_VERSION = 1;
const KIND = 'sequence-perceptron';

const HeaderSchema = z.object({
  kind: z.literal(KIND),
  version: z.literal(CODEC_VERSION),
  types: z.array(z.string()).min(1),
  params: SequencePerceptronParamsSchema,
  features: z.object({
    bits: z.number().int().min(1).max(24),
    window: z.number().int().min(0),
    charNgramMax: z.number().int().min(0),
    affixMax: z.number().int().min(0),
  }),
  rows: z.number().int().min(0),
  weightsFormat: z.enum(['int8', 'float32']),
  temperature: z.number().positive(),
  outsideBias: z.number().finite(),
  info: z.record(z.string(), z.union([z.number(), z.string()])),
});

export function encodeSequenceState(s: SequenceState): Uint8Array {
  const header = {
    kind: KIND,
    version: CODEC_VERSION,
    types: s.types,
    params: s.params,
    features: s.features,
    rows: s.buckets.length,
    weightsFormat: s.quantized ? 'int8' : 'float32',
    temperature: s.temperature,
    outsideBias: s.outsideBias,
    info: s.info,
  };
  const sections: [string, Uint8Array][] = [
    ['buckets', pack(deltaVarints(s.buckets))],
    ['trans', pack(f32(s.trans))],
    ['start', pack(f32(s.start))],
  ];
  if (s.quantized) {
    sections.push(['scales', pack(f32(s.quantized.scales))]);
    const q = s.quantized.q;
    sections.push(['weights', pack(new Uint8Array(q.buffer, q.byteOffset, q.byteLength))]);
  } else sections.push(['weights', pack(f32(s.rows))]);
  return encodeModelFile(header, sections);
}

export function decodeSequenceState(bytes: Uint8Array, file = '<bytes>'): SequenceState {
  const { header, sections } = decodeModelFile(bytes, file);
  const parsed = HeaderSchema.safeParse(header);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelFileError(file, `${KIND} header: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const h = parsed.data;
  const T = 1 + 2 * h.types.length;
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
  const buckets = readDeltaVarints(section('buckets'), h.rows, file);
  for (const b of buckets) if (b >= 2 ** h.features.bits) throw new ModelFileError(file, 'bucket id out of range');
  const trans = readF32(section('trans'));
  expect('trans', trans.length, T * T);
  const start = readF32(section('start'));
  expect('start', start.length, T);
  let rows: Float32Array;
  let quantized: SequenceState['quantized'];
  if (h.weightsFormat === 'int8') {
    const scales = readF32(section('scales'));
    expect('scales', scales.length, h.rows);
    const raw = section('weights');
    expect('weights', raw.length, h.rows * T);
    quantized = { q: new Int8Array(raw.buffer, raw.byteOffset, raw.byteLength), scales };
    rows = dequantizeRows(quantized, T);
  } else {
    rows = readF32(section('weights'));
    expect('weights', rows.length, h.rows * T);
  }
  return {
    types: h.types,
    params: h.params,
    features: h.features,
    buckets,
    rows,
    quantized,
    trans,
    start,
    temperature: h.temperature,
    outsideBias: h.outsideBias,
    info: h.info,
  };
}
