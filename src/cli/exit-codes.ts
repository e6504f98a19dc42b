import { CommanderError } from 'commander';
import { ApprenticeError, InsufficientDataError, type ErrorCode } from '../errors.js';

/**
 * The one table of exit codes. Scripts and CI branch on these, so a number, once given a meaning,
 * keeps it.
 */
export const ExitCode = {
  ok: 0,
  unexpected: 1,
  /** Bad flags, bad task file, bad setting. */
  usage: 2,
  /** A data file (pool, gold, labeled set, inputs) is missing or malformed, or the data is too little to train on. */
  dataFile: 3,
  /** The teacher failed: transport errors, answers that never fit the schema, or mostly unusable answers. */
  teacher: 4,
  /** The budget ran out before any student could be trained. */
  budget: 5,
  /** A saved model is missing, corrupt or of an unknown kind. */
  modelFile: 6,
  /** The teacher cache / ledger database cannot be opened, is corrupt or is from a newer version. */
  store: 7,
  /** Ctrl-C (128 + SIGINT), as shells report it. */
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Rows for docs and `--help`: code, name, meaning. */
export const EXIT_CODE_TABLE: readonly [number, string][] = [
  [ExitCode.ok, 'success'],
  [ExitCode.unexpected, 'unexpected error (a bug: please report it with APPRENTICE_DEBUG=1 output)'],
  [ExitCode.usage, 'usage or configuration error: bad flag, bad task file, bad setting'],
  [
    ExitCode.dataFile,
    'data error: missing or malformed pool, gold, labeled or input file, or too little data to train a student',
  ],
  [ExitCode.teacher, 'teacher error: the teacher could not be reached, kept answering off-schema, or proved unusable'],
  [ExitCode.budget, 'budget exhausted before any student could be trained'],
  [ExitCode.modelFile, 'model file error: missing, corrupt or unknown model'],
  [ExitCode.store, 'cache error: the teacher cache (.apprentice/cache.sqlite) cannot be opened or is corrupt'],
  [ExitCode.interrupted, 'interrupted (Ctrl-C)'],
];

export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version are "errors" only in commander's control flow; they carry exit code 0.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (error instanceof ApprenticeError) {
    // Too little data is a budget stop only when the budget is what ran out; otherwise the data is short.
    if (error instanceof InsufficientDataError) return error.budgetExhausted ? ExitCode.budget : ExitCode.dataFile;
    return exitCodeForCode(error.code);
  }
  if (isAbort(error)) return ExitCode.interrupted;
  return ExitCode.unexpected;
}

/** Exhaustive over the closed set of error codes: a new code without an exit code fails the type check. */
export function exitCodeForCode(code: ErrorCode): ExitCodeValue {
  switch (code) {
    case 'config':
      return ExitCode.usage;
    case 'data-file':
    case 'insufficient-data':
      return ExitCode.dataFile;
    case 'teacher-call':
    case 'teacher-output':
    case 'teacher-unusable':
      return ExitCode.teacher;
    case 'budget':
      return ExitCode.budget;
    case 'model-file':
      return ExitCode.modelFile;
    case 'store':
      return ExitCode.store;
    case 'interrupted':
      return ExitCode.interrupted;
    default: {
      const unhandled: never = code;
      throw new Error(`no exit code for error code ${String(unhandled)}`);
    }
  }
}

export function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: string }).code === 'ABORT_ERR');
}
