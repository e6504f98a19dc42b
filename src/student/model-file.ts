import { ModelFileError } from '../errors.js';

/**
 * The container every student kind saves into:
 *
 *   "APSM" | u8 format version | u32 LE header length | header JSON (UTF-8) | sections | u32 LE CRC-32
 *
 * The header names the kind, so `loadStudent` can dispatch before any kind-specific decoding, and
 * lists the binary sections (name + byte length) in payload order. The CRC catches truncated and
 * corrupted files before a kind tries to make sense of them.
 */
const MAGIC = [0x41, 0x50, 0x53, 0x4d]; // "APSM"
export const MODEL_FORMAT_VERSION = 1;

export interface ModelHeader {
  kind: string;
  [key: string]: unknown;
}

export interface ModelFile {
  header: ModelHeader;
  sections: Map<string, Uint8Array>;
}

export function encodeModelFile(header: ModelHeader, sections: readonly [string, Uint8Array][]): Uint8Array {
  const json = new TextEncoder().encode(
    JSON.stringify({ ...header, sections: sections.map(([name, b]) => ({ name, bytes: b.length })) }),
  );
  const payload = sections.reduce((n, [, b]) => n + b.length, 0);
  const out = new Uint8Array(4 + 1 + 4 + json.length + payload + 4);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  out[4] = MODEL_FORMAT_VERSION;
  view.setUint32(5, json.length, true);
  out.set(json, 9);
  let at = 9 + json.length;
  for (const [, b] of sections) {
    out.set(b, at);
    at += b.length;
  }
  view.setUint32(at, crc32(out.subarray(0, at)), true);
  return out;
}

/** `file` only labels errors (a path, or `<bytes>`). */
export function decodeModelFile(bytes: Uint8Array, file = '<bytes>'): ModelFile {
  const fail = (message: string): never => {
    throw new ModelFileError(file, message, {
      hint: 'the file is not an Apprentice model or is damaged; retrain or restore it',
    });
  };
  if (bytes.length < 13 || MAGIC.some((m, i) => bytes[i] !== m)) fail('not an Apprentice model file (bad magic bytes)');
  if (bytes[4] !== MODEL_FORMAT_VERSION)
    fail(`model format version ${bytes[4]} is not supported (this build reads version ${MODEL_FORMAT_VERSION})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length - 4;
  if (view.getUint32(end, true) !== crc32(bytes.subarray(0, end)))
    fail('checksum mismatch: the file is truncated or corrupted');
  const headerLength = view.getUint32(5, true);
  if (9 + headerLength > end) fail('header runs past the end of the file');
  let header: ModelHeader & { sections?: unknown };
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(9, 9 + headerLength)));
  } catch (cause) {
    throw new ModelFileError(file, 'header is not valid JSON', { cause });
  }
  if (typeof header !== 'object' || header === null || typeof header.kind !== 'string') fail('header has no `kind`');
  if (!Array.isArray(header.sections)) fail('header has no section list');
  const sections = new Map<string, Uint8Array>();
  let at = 9 + headerLength;
  for (const s of header.sections as { name?: unknown; bytes?: unknown }[]) {
    if (typeof s?.name !== 'string' || typeof s.bytes !== 'number' || !Number.isInteger(s.bytes) || s.bytes < 0)
      fail('malformed section entry in header');
    const length = s.bytes as number;
    if (at + length > end) fail(`section \`${s.name}\` runs past the end of the file`);
    sections.set(s.name as string, bytes.subarray(at, at + length));
    at += length;
  }
  if (at !== end) fail('unexpected bytes after the last section');
  const { sections: _listed, ...rest } = header;
  return { header: rest as ModelHeader, sections };
}

let table: Uint32Array | undefined;

/** CRC-32 (IEEE), as zip and PNG use. */
export function crc32(bytes: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
