import { readFileSync } from 'node:fs';
import type { z } from 'zod';

export function toJsonl(rows: readonly unknown[]): string {
  return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
}

/**
 * Reads back a file an export just wrote and checks every line against what its consumer needs.
 * A failure here is a bug in the export, not bad input, so it says so.
 */
export function checkJsonl<T>(file: string, schema: z.ZodType<T>, consumer: string): T[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines.pop() !== '') throw new Error(`export bug: ${file} does not end with a newline`);
  return lines.map((line, i) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`export bug: ${file}:${i + 1} is not valid JSON`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success)
      throw new Error(`export bug: ${file}:${i + 1} is not a valid ${consumer} row: ${parsed.error.issues[0].message}`);
    return parsed.data;
  });
}
