import { CommanderError } from 'commander';
import {
  BudgetExceededError,
  ConfigError,
  DataFileError,
  ModelFileError,
  TeacherCallError,
  TeacherOutputError,
  TeacherUnusableError,
} from '../errors.js';

/**
 * The one table of exit codes. Scripts and CI branch on these, so a number, once given a meaning,
 * keeps it.
 */
export const ExitCode = {
  ok: 0,
  unexpected: 1,
  /** Bad flags, bad task file, bad setting. */
  usage: 2,
  /** A data file (pool, gold, labeled set, inputs) is missing or malformed. */
  dataFile: 3,
  /** The teacher failed: transport errors, answers that never fit the schema, or mostly unusable answers. */
  teacher: 4,
  /** The budget ran out before any student could be trained. */
  budget: 5,
  /** A saved model is missing, corrupt or of an unknown kind. */
  modelFile: 6,
  /** Ctrl-C (128 + SIGINT), as shells report it. */
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Rows for docs and `--help`: code, name, meaning. */
export const EXIT_CODE_TABLE: readonly [number, string][] = [
  [ExitCode.ok, 'success'],
  [ExitCode.unexpected, 'unexpected error (a bug: please report it with APPRENTICE_DEBUG=1 output)'],
  [ExitCode.usage, 'usage or configuration error: bad flag, bad task file, bad setting'],
  [ExitCode.dataFile, 'data file error: missing or malformed pool, gold, labeled or input file'],
  [ExitCode.teacher, 'teacher error: the teacher could not be reached, or its answers were mostly unusable'],
  [ExitCode.budget, 'budget exhausted before any student could be trained'],
  [ExitCode.modelFile, 'model file error: missing, corrupt or unknown model'],
  [ExitCode.interrupted, 'interrupted (Ctrl-C)'],
];

export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version are "errors" only in commander's control flow; they carry exit code 0.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (error instanceof ConfigError) return ExitCode.usage;
  if (error instanceof DataFileError) return ExitCode.dataFile;
  if (error instanceof TeacherCallError || error instanceof TeacherOutputError) return ExitCode.teacher;
  if (error instanceof TeacherUnusableError) return ExitCode.teacher;
  if (error instanceof BudgetExceededError) return ExitCode.budget;
  if (error instanceof ModelFileError) return ExitCode.modelFile;
  if (isAbort(error)) return ExitCode.interrupted;
  return ExitCode.unexpected;
}

export function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: string }).code === 'ABORT_ERR');
}
