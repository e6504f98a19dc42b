import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readRunStatus } from './run-files.js';
import { isAlive } from './run-dir.js';

/**
 * The default run directory of `taskName` to take over: its latest run, if that one was killed
 * mid-way (still `running`, its process gone). Running the same command again then finishes the
 * killed run in place, with the cache supplying every answer it had paid for, instead of leaving a
 * directory that says `running` forever beside a new one. A finished, failed or live latest run
 * gets a new directory.
 */
export function killedRunDir(runsRoot: string, taskName: string): string | undefined {
  if (!existsSync(runsRoot)) return undefined;
  // newRunId's `<task>-YYYYMMDD-HHMMSS`: sorting by name sorts by start time.
  const ours = readdirSync(runsRoot).filter(
    (name) => name.startsWith(`${taskName}-`) && /^\d{8}-\d{6}$/.test(name.slice(taskName.length + 1)),
  );
  const latest = ours.sort().at(-1);
  if (!latest) return undefined;
  const dir = join(runsRoot, latest);
  const info = readRunStatus(dir);
  return info?.status === 'running' && info.task === taskName && !isAlive(info.pid) ? dir : undefined;
}
