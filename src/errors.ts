/**
 * Typed errors: the closed set. Each carries a stable `code` from ERROR_CODES and, where the user can act,
 * a `hint` saying what to do. Every subclass lives in this file (a test checks), so the set of failures a
 * caller can meet is read in one place; the CLI maps each code to an exit code in an exhaustive switch
 * (src/cli/exit-codes.ts), so a new code without an exit code fails the type check.
 */
import type { BudgetLimit, FailedCallSpend } from './core/types.js';

/** Every error code. Add one here, give it a class below and an exit code in src/cli/exit-codes.ts. */
export const ERROR_CODES = [
  'config',
  'data-file',
  'insufficient-data',
  'store',
  'teacher-call',
  'teacher-output',
  /** TeacherUnusableError: the run stops when most of the teacher's answers cannot be used. */
  'teacher-unusable',
  'budget',
  'model-file',
  'interrupted',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

interface ErrorOptions {
  hint?: string;
  cause?: unknown;
}

export class ApprenticeError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
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
  constructor(message: string, options: ErrorOptions & { file?: string; field?: string } = {}) {
    super('config', message, options);
    this.file = options.file;
    this.field = options.field;
  }
}

/** A data file (pool, gold, labeled set) is unreadable or malformed. `line` is 1-based. */
export class DataFileError extends ApprenticeError {
  readonly file: string;
  readonly line?: number;
  constructor(file: string, message: string, options: ErrorOptions & { line?: number } = {}) {
    super('data-file', message, options);
    this.file = file;
    this.line = options.line;
  }
}

/**
 * There is too little to train on or judge a student with. `budgetExhausted` says whether the budget ran out
 * on the way (then raising it may be the fix, and the CLI exits as for a budget stop); otherwise the data or
 * the settings are what is short, and the hint says which.
 */
export class InsufficientDataError extends ApprenticeError {
  readonly budgetExhausted: boolean;
  constructor(message: string, options: ErrorOptions & { budgetExhausted: boolean }) {
    super('insufficient-data', message, options);
    this.budgetExhausted = options.budgetExhausted;
  }
}

/** The cache/ledger database cannot be used. `file` is the path the user can delete or move away from. */
export class StoreFileError extends ApprenticeError {
  readonly file: string;
  constructor(file: string, message: string, options: ErrorOptions = {}) {
    super('store', message, options);
    this.file = file;
  }
}

/**
 * An HTTP/transport failure talking to a teacher. Retried only when `isRetryable`. `spend` is what the failed
 * call had already paid for (the provider bills every answer it sent), so the ledger still shows it.
 */
export class TeacherCallError extends ApprenticeError {
  readonly isRetryable: boolean;
  readonly status?: number;
  readonly spend?: FailedCallSpend;
  constructor(
    message: string,
    options: ErrorOptions & { isRetryable: boolean; status?: number; spend?: FailedCallSpend },
  ) {
    super('teacher-call', message, options);
    this.isRetryable = options.isRetryable;
    this.status = options.status;
    this.spend = options.spend;
  }
}

/** The teacher answered, but not in the shape asked for. Keeps the raw text so nothing is lost. */
export class TeacherOutputError extends ApprenticeError {
  readonly raw: string;
  constructor(message: string, raw: string, options: ErrorOptions = {}) {
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
  constructor(limit: BudgetLimit, message: string, options: ErrorOptions = {}) {
    super('budget', message, {
      hint: `raise budget.${limit} in the task file (or --budget-answers) to allow more teacher work`,
      ...options,
    });
    this.limit = limit;
  }
}

/** A saved model file is missing, corrupt or of an unknown kind. */
export class ModelFileError extends ApprenticeError {
  readonly file: string;
  constructor(file: string, message: string, options: ErrorOptions = {}) {
    super('model-file', message, options);
    this.file = file;
  }
}

/**
 * The run or a teacher call was stopped by its signal (Ctrl-C): the user's decision, not a failure. Named
 * AbortError, as fetch names its own, so code that checks the name treats it as a stop. `spend` is what a
 * stopped teacher call had already paid for.
 */
export class InterruptedError extends ApprenticeError {
  readonly spend?: FailedCallSpend;
  constructor(message: string, options: ErrorOptions & { spend?: FailedCallSpend } = {}) {
    super('interrupted', message, options);
    this.name = 'AbortError';
    this.spend = options.spend;
  }
}

export function isApprenticeError(e: unknown): e is ApprenticeError {
  return e instanceof ApprenticeError;
}
