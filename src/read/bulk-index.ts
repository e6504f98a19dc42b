import { hash as oneShotHash, createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/**
 * Loading a text table fast: rows go in by position in large transactions with no index to keep
 * up, then the hash index is built once (a sort) and duplicates are found group by group. Looking
 * each text's hash up before inserting it (one B-tree probe and one random index write per text)
 * was most of the time of indexing a million-text file.
 */

/** Rows written per transaction while loading. */
export const LOAD_BATCH = 50_000;
/** Duplicate hash groups read at a time: bounds memory however many duplicates a file holds. */
const GROUP_PAGE = 1000;

/**
 * A new index database: in `dir` when the caller gives one, else SQLite's own temporary database
 * (an empty file name), which SQLite unlinks as soon as it has opened it. So nothing is left in the
 * temp directory by a process killed at any point, even while indexing, nor by a holder that is
 * never closed (a teacher has no close); the space returns when the connection closes or the
 * process ends. (Unlinking a file SQLite opened ourselves does not work: it then refuses to write,
 * SQLITE_READONLY_DBMOVED.)
 */
export function openIndexDb(dir: string | undefined, name: string): Database.Database {
  const db = new Database(dir ? join(dir, name) : '');
  loadPragmas(db);
  return db;
}

/** Settings for a temp index written once and read by one process: no journal, no fsync, a bigger cache. */
export function loadPragmas(db: Database.Database): void {
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  // 32 MiB of page cache while building the hash index (SQLite's default is 2 MiB).
  db.pragma('cache_size = -32768');
}

/** The first 64 bits of sha256(key), as SQLite's signed INTEGER: the bits util/hash textId writes in hex. */
export const hashOf: (key: string) => bigint =
  typeof oneShotHash === 'function'
    ? (key) => oneShotHash('sha256', key, 'buffer').readBigInt64BE(0)
    : (key) => createHash('sha256').update(key).digest().readBigInt64BE(0);

/**
 * Deletes the rows of `table` that repeat an earlier row (lower id) with the same `hash`, as
 * `sameAs` judges them, and returns how many it deleted. `onDuplicate` sees each deleted row with
 * the earlier row it repeats. Needs an index on `hash`.
 */
export function deleteRepeats<Row extends { id: number }>(
  db: Database.Database,
  table: string,
  columns: string,
  sameAs: (row: Row, earlier: Row) => boolean,
  onDuplicate?: (row: Row, earlier: Row) => void,
): number {
  const groups = db
    .prepare<[bigint, number], bigint>(
      `SELECT hash FROM ${table} WHERE hash >= ? GROUP BY hash HAVING COUNT(*) > 1 ORDER BY hash LIMIT ?`,
    )
    .pluck()
    .safeIntegers();
  const members = db.prepare<[bigint], Row>(`SELECT id, ${columns} FROM ${table} WHERE hash = ? ORDER BY id`);
  const remove = db.prepare<[number]>(`DELETE FROM ${table} WHERE id = ?`);
  let deleted = 0;
  let from: bigint | undefined = -(2n ** 63n);
  db.exec('BEGIN');
  try {
    while (from !== undefined) {
      const page = groups.all(from, GROUP_PAGE);
      if (page.length === 0) break;
      for (const hash of page) {
        const kept: Row[] = [];
        for (const row of members.all(hash)) {
          const earlier = kept.find((k) => sameAs(row, k));
          if (earlier) {
            onDuplicate?.(row, earlier);
            remove.run(row.id);
            deleted++;
          } else kept.push(row);
        }
      }
      const last = page[page.length - 1];
      from = last < 2n ** 63n - 1n ? last + 1n : undefined;
    }
    db.exec('COMMIT');
  } catch (e) {
    db.exec('ROLLBACK');
    throw e;
  }
  return deleted;
}

/**
 * Renumbers `table`'s ids 0..n-1 in id order once rows were deleted (positions stay dense), and
 * builds its hash index again. `schema` is the table's column list after `id INTEGER PRIMARY KEY`.
 */
export function renumber(db: Database.Database, table: string, schema: string, columns: string): void {
  db.exec(`
    CREATE TABLE ${table}_packed (id INTEGER PRIMARY KEY, ${schema});
    INSERT INTO ${table}_packed (id, ${columns}) SELECT row_number() OVER (ORDER BY id) - 1, ${columns} FROM ${table} ORDER BY id;
    DROP TABLE ${table};
    ALTER TABLE ${table}_packed RENAME TO ${table};
    CREATE INDEX ${table}_hash ON ${table}(hash);
  `);
}
