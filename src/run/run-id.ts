import { randomBytes } from 'node:crypto';

/**
 * `<task>-YYYYMMDD-HHMMSS`, in UTC: ids sort by start time and mean the same on every machine.
 * The name of a default run directory.
 */
export function newRunId(taskName: string, date: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const day = `${date.getUTCFullYear()}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}`;
  const time = `${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}`;
  return `${taskName}-${day}-${time}`;
}

/**
 * `<task>-YYYYMMDD-HHMMSS-<6 hex>`: the id one `distill` invocation files its ledger entries under.
 * Unique even for two runs started in the same second (a killed run and its resumption often are),
 * so a run's totals are its own calls only, never an earlier run's on the same cache.
 */
export function uniqueRunId(taskName: string, date: Date = new Date()): string {
  return `${newRunId(taskName, date)}-${randomBytes(3).toString('hex')}`;
}
