/**
 * `<task>-YYYYMMDD-HHMMSS`, in UTC: ids sort by start time and mean the same on every machine.
 */
export function newRunId(taskName: string, date: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const day = `${date.getUTCFullYear()}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}`;
  const time = `${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}`;
  return `${taskName}-${day}-${time}`;
}
