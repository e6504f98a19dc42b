import { describe, expect, it } from 'vitest';
import { CommanderError } from 'commander';
import {
  BudgetExceededError,
  ConfigError,
  DataFileError,
  ERROR_CODES,
  InsufficientDataError,
  InterruptedError,
  ModelFileError,
  StoreFileError,
  TeacherCallError,
  TeacherOutputError,
  TeacherUnusableError,
} from '../errors.js';
import { EXIT_CODE_TABLE, ExitCode, exitCodeFor, exitCodeForCode } from './exit-codes.js';
import { renderError } from './render-error.js';

describe('exitCodeFor', () => {
  it('maps every error kind to its documented code', () => {
    expect(exitCodeFor(new ConfigError('bad', { field: 'labels' }))).toBe(2);
    expect(exitCodeFor(new CommanderError(1, 'commander.unknownOption', 'unknown option'))).toBe(2);
    expect(exitCodeFor(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'))).toBe(0);
    expect(exitCodeFor(new DataFileError('/x.jsonl', 'bad line', { line: 3 }))).toBe(3);
    expect(exitCodeFor(new TeacherCallError('down', { isRetryable: false, status: 401 }))).toBe(4);
    expect(exitCodeFor(new TeacherOutputError('off-schema', '{"x":1}'))).toBe(4);
    expect(exitCodeFor(new TeacherUnusableError('mostly rejected', { rejected: 60, window: 100 }))).toBe(4);
    expect(exitCodeFor(new BudgetExceededError('answers', 'none left'))).toBe(5);
    expect(exitCodeFor(new ModelFileError('/m.bin', 'corrupt'))).toBe(6);
    expect(exitCodeFor(new StoreFileError('/c.sqlite', 'corrupt'))).toBe(7);
    expect(exitCodeFor(new InterruptedError('stopped'))).toBe(130);
    expect(exitCodeFor(new DOMException('aborted', 'AbortError'))).toBe(130);
    expect(exitCodeFor(new TypeError('x is undefined'))).toBe(1);
  });

  it('exits as for a budget stop on too little data only when the budget ran out', () => {
    expect(exitCodeFor(new InsufficientDataError('too little', { budgetExhausted: true }))).toBe(ExitCode.budget);
    expect(exitCodeFor(new InsufficientDataError('too little', { budgetExhausted: false }))).toBe(ExitCode.dataFile);
  });

  it('gives every error code an exit code that is documented and is not the "bug" code', () => {
    const documented = new Set(EXIT_CODE_TABLE.map(([c]) => c));
    for (const code of ERROR_CODES) {
      const exit = exitCodeForCode(code);
      expect(documented.has(exit), code).toBe(true);
      expect(exit, code).not.toBe(ExitCode.unexpected);
    }
  });

  it('documents each code exactly once', () => {
    const codes = EXIT_CODE_TABLE.map(([c]) => c);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort((a, b) => a - b)).toEqual(Object.values(ExitCode).sort((a, b) => a - b));
  });
});

describe('renderError', () => {
  it('says what, where and what to do, without a stack trace', () => {
    const out = renderError(
      new DataFileError('/data/gold.jsonl', 'line 7 is not valid JSON', { line: 7, hint: 'one JSON object per line' }),
      {},
    );
    expect(out).toContain('error: line 7 is not valid JSON');
    expect(out).toContain('where: /data/gold.jsonl:7');
    expect(out).toContain('hint: one JSON object per line');
    expect(out).not.toMatch(/\n\s+at /);
  });

  it('names the field of a config error', () => {
    const out = renderError(new ConfigError('labels: needs two', { file: '/t/task.yaml', field: 'labels' }), {});
    expect(out).toContain('/t/task.yaml, field `labels`');
  });

  it('prints the stack only with APPRENTICE_DEBUG=1', () => {
    const e = new Error('boom');
    expect(renderError(e, {})).not.toContain('at ');
    expect(renderError(e, { APPRENTICE_DEBUG: '1' })).toMatch(/\n\s+at /);
  });

  it('never prints an API key, even one echoed inside a provider message', () => {
    const key = 'sk-test-0123456789abcdefXYZ';
    const out = renderError(new TeacherCallError(`401: invalid key ${key}`, { isRetryable: false, status: 401 }), {
      OPENAI_API_KEY: key,
    });
    expect(out).not.toContain(key);
    expect(out).toContain('***');
  });
});
