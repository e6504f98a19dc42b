import type Database from 'better-sqlite3';
import { StoreFileError } from '../errors.js';

/** Bump when a table changes shape, and teach `migrate` the step from the previous version. */
export const SCHEMA_VERSION = 1;

const CREATE = `
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS cache (
  key           TEXT PRIMARY KEY,
  body          TEXT NOT NULL,
  input_tokens  INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  http_requests INTEGER NOT NULL,
  paid_requests INTEGER NOT NULL,
  dollars       REAL NOT NULL,
  ms            INTEGER NOT NULL,
  created_at    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ledger (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id        TEXT NOT NULL,
  teacher       TEXT NOT NULL,
  kind          TEXT NOT NULL,
  key           TEXT NOT NULL,
  answers       INTEGER NOT NULL,
  cached        INTEGER NOT NULL,
  http_requests INTEGER NOT NULL,
  paid_requests INTEGER NOT NULL,
  input_tokens  INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  dollars       REAL NOT NULL,
  dollars_used  REAL NOT NULL,
  ms            INTEGER NOT NULL,
  at            TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ledger_run_id ON ledger (run_id);
-- Provider batches (teacher.mode: batch), recorded before the first poll. Added without a version
-- bump: the table is created when missing, and older readers never look at it.
CREATE TABLE IF NOT EXISTS batches (
  id         TEXT PRIMARY KEY,
  provider   TEXT NOT NULL,
  created_at TEXT NOT NULL,
  closed     TEXT
);
CREATE TABLE IF NOT EXISTS batch_items (
  item_id  TEXT NOT NULL,
  batch_id TEXT NOT NULL REFERENCES batches (id)
);
CREATE INDEX IF NOT EXISTS batch_items_item ON batch_items (item_id);
`;

/**
 * Brings the file to SCHEMA_VERSION, or refuses it. Runs in one IMMEDIATE transaction so two
 * processes opening a fresh file at once cannot both create it half-way.
 */
export function migrate(db: Database.Database, file: string): void {
  db.transaction(() => {
    const hasMeta =
      db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'`).get() !== undefined;
    if (!hasMeta) {
      const foreign = db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' LIMIT 1`)
        .get() as { name: string } | undefined;
      // Never write our tables into somebody else's database.
      if (foreign) {
        throw new StoreFileError(
          file,
          `${file} is a SQLite database but not an Apprentice cache (it has a table "${foreign.name}")`,
          {
            hint: 'point the cache at another path (e.g. the default .apprentice/cache.sqlite)',
          },
        );
      }
      db.exec(CREATE);
      db.prepare(`INSERT INTO meta (key, value) VALUES ('schema_version', ?)`).run(String(SCHEMA_VERSION));
      return;
    }
    const row = db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).get() as
      | { value: string }
      | undefined;
    const version = row ? Number(row.value) : NaN;
    if (!Number.isInteger(version) || version < 1) {
      throw new StoreFileError(
        file,
        `${file} has no valid schema version (found ${row ? JSON.stringify(row.value) : 'none'})`,
        {
          hint: `delete ${file} (the cache will be rebuilt, paid answers in it are lost) or point the cache elsewhere`,
        },
      );
    }
    if (version > SCHEMA_VERSION) {
      throw new StoreFileError(
        file,
        `${file} was written by a newer Apprentice (cache schema ${version}; this version reads up to ${SCHEMA_VERSION})`,
        {
          hint: 'upgrade Apprentice, or point the cache at another path',
        },
      );
    }
    // version === SCHEMA_VERSION: nothing to migrate yet. Re-running CREATE ... IF NOT EXISTS
    // restores an index someone dropped without touching the data.
    db.exec(CREATE);
  }).immediate();
}
