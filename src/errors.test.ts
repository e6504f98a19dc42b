import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as errors from './errors.js';
import { ApprenticeError, ERROR_CODES, InsufficientDataError, TeacherCallError } from './errors.js';

const SRC = dirname(fileURLToPath(import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !/\.(test|fixture|contract)\.ts$/.test(e.name) ? [p] : [];
  });
}

describe('the closed error set', () => {
  it('defines every error class in src/errors.ts: none extends one of them elsewhere', () => {
    const names = Object.entries(errors)
      .filter(([, v]) => typeof v === 'function' && (v === ApprenticeError || v.prototype instanceof ApprenticeError))
      .map(([k]) => k);
    const extendsOurs = new RegExp(`\\bextends\\s+(${names.join('|')})\\b`);
    const elsewhere = sourceFiles(SRC)
      .filter((f) => relative(SRC, f) !== 'errors.ts')
      .filter((f) => extendsOurs.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f));
    expect(elsewhere).toEqual([]);
  });

  it('attaches no hint or spend after construction (Object.assign on an error)', () => {
    const offenders = sourceFiles(SRC)
      .filter((f) => /Object\.assign\(\s*(new \w*Error|error|e|err)\b/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f));
    expect(offenders).toEqual([]);
  });

  it('gives each class a code from the closed set, and takes hint and spend in the constructor', () => {
    const spend = { httpRequests: 2, paidRequests: 1, inputTokens: 10, outputTokens: 5 };
    const call = new TeacherCallError('down', { isRetryable: false, spend, hint: 'check the key' });
    expect(call).toMatchObject({ code: 'teacher-call', spend, hint: 'check the key', name: 'TeacherCallError' });
    const short = new InsufficientDataError('too little', { hint: 'give more', budgetExhausted: false });
    expect(short).toMatchObject({ code: 'insufficient-data', hint: 'give more', budgetExhausted: false });
    expect(ERROR_CODES).toContain(call.code);
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });
});
