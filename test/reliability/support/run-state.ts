import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** run.json of a run directory, or undefined when there is none. */
export function runStatus(dir: string): string | undefined {
  const file = join(dir, 'run.json');
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, 'utf8')) as { status: string }).status;
}

/** Every regular file under `dir`, recursively (absolute paths). */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    const st = statSync(full);
    if (st.isDirectory()) out.push(...listFiles(full));
    else if (st.isFile()) out.push(full);
  }
  return out;
}

/**
 * The `trace` of every answer stored in a cache file (see topic-teacher.ts), one per cache entry.
 * Read-only, so looking does not change what the next run finds.
 */
export function cachedTraces(cacheFile: string): string[] {
  if (!existsSync(cacheFile)) return [];
  const db = new Database(cacheFile, { readonly: true });
  try {
    const rows = db.prepare('SELECT body FROM cache').all() as { body: string }[];
    return rows.map((r) => {
      const body = JSON.parse(r.body) as { text: string };
      return (JSON.parse(body.text) as { trace: string }).trace;
    });
  } finally {
    db.close();
  }
}

/** Counts of each value. */
export function tally<T>(values: Iterable<T>): Map<T, number> {
  const m = new Map<T, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}
