/**
 * Typed errors. Each carries a stable `code` and, where the user can act, a `hint` saying what to do.
 * The CLI maps them to exit codes in one place (src/cli/exit-codes.ts).
 */
import type { BudgetLimit } from './core/types.js';

export class ApprenticeError extends Error {
  readonly code: string;
  readonly hint?: string;
  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
  }
}

/** A task file, flag or setting is wrong. `field` is the dotted path into the task (e.g. `labels.2.name`). */
export class ConfigError extends ApprenticeError {
  readonly file?: string;
  readonly field?: string;
  constructor(message: string, options: { file?: string; field?: string; hint?: string; cause?: unknown } = {}) {
    super('config', message, options);
    this.file = options.file;
    this.field = options.field;
  }
}

/** A data file (pool, gold, labeled set) is unreadable or malformed. `line` is 1-based. */
export class DataFileError extends ApprenticeError {
  readonly file: string;
  readonly line?: number;
  constructor(file: string, message: string, options: { line?: number; hint?: string; cause?: unknown } = {}) {
    super('data-file', message, options);
    this.file = file;
    this.line = options.line;
  }
}

/** An HTTP/transport failure talking to a teacher. Retried only when `isRetryable`. */
export class TeacherCallError extends ApprenticeError {
  readonly isRetryable: boolean;
  readonly status?: number;
  constructor(message: string, options: { isRetryable: boolean; status?: number; hint?: string; cause?: unknown }) {
    super('teacher-call', message, options);
    this.isRetryable = options.isRetryable;
    this.status = options.status;
  }
}

/** The teacher answered, but not in the shape asked for. Keeps the raw text so nothing is lost. */
export class TeacherOutputError extends ApprenticeError {
  readonly raw: string;
  constructor(message: string, raw: string, options: { hint?: string; cause?: unknown } = {}) {
    super('teacher-output', message, options);
    this.raw = raw;
  }
}

/**
 * The teacher answers, but most of its answers cannot be used (wrong ids, labels outside the set,
 * unreadable JSON): going on would spend the budget on nothing. The message gives the counts and
 * the commonest reasons with a raw answer each (see src/loop/rejection-watch.ts).
 */
export class TeacherUnusableError extends ApprenticeError {
  /** Rejected answers in the window that tripped the rule, and the window's size. */
  readonly rejected: number;
  readonly window: number;
  constructor(message: string, counts: { rejected: number; window: number }, options: { hint?: string } = {}) {
    super('teacher-unusable', message, options);
    this.rejected = counts.rejected;
    this.window = counts.window;
  }
}

/** A call would take the run past one of its hard budget caps; nothing was spent on it. */
export class BudgetExceededError extends ApprenticeError {
  readonly limit: BudgetLimit;
  constructor(limit: BudgetLimit, message: string) {
    super('budget', message, {
      hint: `raise budget.${limit} in the task file (or --budget-answers) to allow more teacher work`,
    });
    this.limit = limit;
  }
}

/** A saved model file is missing, corrupt or of an unknown kind. */
export class ModelFileError extends ApprenticeError {
  readonly file: string;
  constructor(file: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('model-file', message, options);
    this.file = file;
  }
}

export function isApprenticeError(e: unknown): e is ApprenticeError {
  return e instanceof ApprenticeError;
}
