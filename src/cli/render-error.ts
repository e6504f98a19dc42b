import { CommanderError } from 'commander';
import {
  ApprenticeError,
  ConfigError,
  DataFileError,
  ModelFileError,
  StoreFileError,
  TeacherCallError,
  TeacherOutputError,
} from '../errors.js';
import { redactSecrets } from './redact.js';

/**
 * One error as the user should see it: what went wrong, where (file:line or file + field), and what
 * to do. Stack traces only with APPRENTICE_DEBUG=1, because for a user a stack trace hides the one
 * line that matters.
 */
export function renderError(error: unknown, env: NodeJS.ProcessEnv = process.env): string {
  const lines: string[] = [];
  if (error instanceof CommanderError) {
    // commander already printed its own message; nothing useful to add.
    return '';
  }
  const message = error instanceof Error ? error.message : String(error);
  lines.push(`error: ${message}`);
  const where = locationOf(error);
  if (where) lines.push(`  where: ${where}`);
  if (error instanceof TeacherOutputError && error.raw) {
    lines.push(`  teacher said: ${truncate(error.raw.replace(/\s+/g, ' '), 200)}`);
  }
  if (error instanceof TeacherCallError && error.status !== undefined) {
    lines.push(`  http status: ${error.status}`);
  }
  const hint = error instanceof ApprenticeError ? error.hint : undefined;
  if (hint) lines.push(`  hint: ${hint}`);
  if (!(error instanceof ApprenticeError)) {
    lines.push('  hint: this looks like a bug in apprentice; run again with APPRENTICE_DEBUG=1 for the stack trace');
  }
  if (env.APPRENTICE_DEBUG === '1' && error instanceof Error) {
    lines.push('', error.stack ?? String(error));
    let cause = error.cause;
    while (cause instanceof Error) {
      lines.push(`caused by: ${cause.stack ?? cause.message}`);
      cause = cause.cause;
    }
  }
  return `${redactSecrets(lines.join('\n'), env)}\n`;
}

function locationOf(error: unknown): string | undefined {
  if (error instanceof DataFileError) {
    return error.line !== undefined ? `${error.file}:${error.line}` : error.file;
  }
  if (error instanceof ConfigError) {
    if (error.file && error.field) return `${error.file}, field \`${error.field}\``;
    if (error.field) return `field \`${error.field}\``;
    return error.file;
  }
  if (error instanceof ModelFileError || error instanceof StoreFileError) return error.file;
  return undefined;
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n)}…`;
}
