import { createHash } from 'node:crypto';

/** Deterministic JSON: object keys sorted, so equal requests hash equally. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k])}`).join(',')}}`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function hashObject(value: unknown): string {
  return sha256(stableStringify(value));
}

/** Id of a text, stable across runs: whitespace-normalized, then hashed. */
export function textId(text: string): string {
  return sha256(text.trim().replace(/\s+/g, ' ')).slice(0, 16);
}
