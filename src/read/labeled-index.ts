import type Database from 'better-sqlite3';
import type { LabeledText } from '../core/types.js';
import { DataFileError } from '../errors.js';
import { deleteRepeats, hashOf, LOAD_BATCH, openIndexDb, renumber } from './bulk-index.js';
import { checkLabels, labelsOf, type ReadLabeledOptions } from './read-labeled.js';
import {
  DEFAULT_MAX_TEXT_CHARS,
  dataRecords,
  lineRecord,
  normalizeText,
  textOf,
  type DataRecord,
  type RecordStats,
} from './read-records.js';
import { formatOf, readSource, type DataFormat } from './read-source.js';
import { streamLines } from './stream-lines.js';

const SCHEMA = 'hash INTEGER NOT NULL, text TEXT NOT NULL, labels TEXT NOT NULL';

/**
 * A labeled file's unique rows in an on-disk SQLite table, as readLabeled reads them (first row of a
 * text wins, the same checks and errors), keyed by the 64-bit hash of the normalized text, with a
 * label → row table beside it. The dataset teacher answers from it: a labeled file as large as the
 * pool costs a read chunk and SQLite's page cache, not a row object per line. Row ids are positions
 * in readLabeled's `rows`.
 */
export class LabeledIndex {
  readonly size: number;
  readonly duplicates: number;
  readonly conflicts: number;
  readonly skippedBlank: number;
  readonly format: Exclude<DataFormat, 'lines'>;
  readonly hash: string;
  private readonly db: Database.Database;
  private readonly byId: Database.Statement<[number], { text: string; labels: string }>;
  private readonly byHash: Database.Statement<[bigint], { id: number; text: string; labels: string }>;

  private constructor(db: Database.Database, fields: LabeledIndexFields) {
    this.db = db;
    this.size = fields.size;
    this.duplicates = fields.duplicates;
    this.conflicts = fields.conflicts;
    this.skippedBlank = fields.skippedBlank;
    this.format = fields.format;
    this.hash = fields.hash;
    this.byId = db.prepare('SELECT text, labels FROM rows WHERE id = ?');
    this.byHash = db.prepare('SELECT id, text, labels FROM rows WHERE hash = ? ORDER BY id');
  }

  static build(path: string, options: ReadLabeledOptions & { dir?: string } = {}): LabeledIndex {
    const guessed = options.format ?? formatOf(path);
    if (guessed === 'lines') {
      throw new DataFileError(path, `labeled file ${path} must be JSONL (.jsonl) or CSV (.csv)`, {
        hint: 'write one {"text": "...", "label": "..."} per line in a .jsonl file, or a CSV with `text,label` columns',
      });
    }
    // Unlinked as soon as it is open (bulk-index openIndexDb): nothing is left behind by a holder
    // that is never closed (a teacher has no close) nor by a process killed while indexing.
    const db = openIndexDb(options.dir, 'labeled-index.sqlite');
    try {
      db.exec(
        `DROP TABLE IF EXISTS rows; DROP TABLE IF EXISTS row_labels; CREATE TABLE rows (id INTEGER PRIMARY KEY, ${SCHEMA});`,
      );
      const fields = fill(db, path, guessed, options);
      // The label → row table, from the de-duplicated rows in one statement.
      db.exec(`
        CREATE TABLE row_labels (label TEXT NOT NULL, id INTEGER NOT NULL, n INTEGER NOT NULL, pos INTEGER NOT NULL);
        INSERT INTO row_labels (label, id, n, pos)
          SELECT j.value, r.id, json_array_length(r.labels), j.key FROM rows r, json_each(r.labels) j;
        CREATE INDEX row_labels_label ON row_labels(label, id);
      `);
      if (fields.size === 0) {
        throw new DataFileError(path, `labeled file ${path} has no rows`, {
          hint: 'put at least one labeled row in the file',
        });
      }
      return new LabeledIndex(db, fields);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /** The row whose text is `text` once whitespace-normalized, with its id. */
  find(text: string): (LabeledText & { id: number }) | undefined {
    const key = normalizeText(text);
    const hit = this.byHash.all(hashOf(key)).find((r) => normalizeText(r.text) === key);
    return hit && { id: hit.id, text: hit.text, labels: JSON.parse(hit.labels) as string[] };
  }

  rowsAt(ids: readonly number[]): LabeledText[] {
    return ids.map((id) => {
      const r = this.byId.get(id);
      if (!r) throw new RangeError(`labeled row ${id} is outside 0..${this.size - 1}`);
      return { text: r.text, labels: JSON.parse(r.labels) as string[] };
    });
  }

  /** Rows carrying `label`, in file order, with their label count. */
  withLabel(label: string): { id: number; n: number }[] {
    return this.db
      .prepare<[string], { id: number; n: number }>('SELECT id, n FROM row_labels WHERE label = ? ORDER BY id')
      .all(label);
  }

  /** Ids of the rows carrying `label`, in file order. */
  idsWithLabel(label: string): number[] {
    return this.db
      .prepare<[string], number>('SELECT id FROM row_labels WHERE label = ? ORDER BY id')
      .pluck()
      .all(label);
  }

  /**
   * The labels the rows carry, in the order a pass over the rows meets them first (file order, then
   * the order within the row): what clustering needs in place of every row's labels.
   */
  labels(): string[] {
    // SQLite takes a bare column of a MIN() query from the row holding the minimum.
    return this.db
      .prepare<[], { label: string }>(
        'SELECT label, MIN(id) AS first, pos FROM row_labels GROUP BY label ORDER BY first, pos',
      )
      .all()
      .map((r) => r.label);
  }

  /** Every row in file order, read in pages. */
  *rows(page = 1000): Generator<LabeledText> {
    const stmt = this.db.prepare<[number, number], { text: string; labels: string }>(
      'SELECT text, labels FROM rows WHERE id >= ? ORDER BY id LIMIT ?',
    );
    for (let from = 0; from < this.size; from += page) {
      for (const r of stmt.all(from, page)) yield { text: r.text, labels: JSON.parse(r.labels) as string[] };
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

interface LabeledIndexFields {
  size: number;
  duplicates: number;
  conflicts: number;
  skippedBlank: number;
  format: Exclude<DataFormat, 'lines'>;
  hash: string;
}

function fill(
  db: Database.Database,
  path: string,
  format: Exclude<DataFormat, 'lines'>,
  options: ReadLabeledOptions,
): LabeledIndexFields {
  const maxChars = options.maxTextChars ?? DEFAULT_MAX_TEXT_CHARS;
  const allowed = options.allowedLabels ? new Set(options.allowedLabels) : undefined;
  const insert = db.prepare<[number, bigint, string, string]>(
    'INSERT INTO rows (id, hash, text, labels) VALUES (?, ?, ?, ?)',
  );
  const stats: RecordStats = { skippedBlank: 0 };
  let loaded = 0;
  let pending = 0;
  // Every row goes in (after its checks, so errors name the same line as readLabeled's); repeats
  // are found once the hash index is built (bulk-index.ts), the first row of a text kept.
  const add = (record: DataRecord) => {
    const text = textOf(record, path, format, maxChars);
    const labels = labelsOf(record, path, format);
    checkLabels(record.line, labels, path, options.multiLabel, allowed);
    insert.run(loaded++, hashOf(normalizeText(text)), text, JSON.stringify(labels));
    if (++pending >= LOAD_BATCH) {
      db.exec('COMMIT; BEGIN');
      pending = 0;
    }
  };
  db.exec('BEGIN');
  let hash: string;
  if (format === 'csv') {
    // CSV quoting lets a record span lines, so CSV is parsed whole; its rows still go to disk.
    const source = readSource(path);
    hash = source.hash;
    for (const record of dataRecords(source.content, format, path, stats)) add(record);
  } else {
    hash = streamLines(path, ({ line, text }) => {
      const record = lineRecord(line, text, 'jsonl', path);
      if (record) add(record);
      else stats.skippedBlank++;
    }).hash;
  }
  db.exec('COMMIT');
  db.exec('CREATE INDEX rows_hash ON rows(hash)');
  const signature = (labels: string) => (JSON.parse(labels) as string[]).sort().join('\u0000');
  let conflicts = 0;
  const duplicates = deleteRepeats<{ id: number; text: string; labels: string }>(
    db,
    'rows',
    'text, labels',
    (row, earlier) => normalizeText(row.text) === normalizeText(earlier.text),
    (row, first) => {
      if (signature(row.labels) !== signature(first.labels)) conflicts++;
    },
  );
  if (duplicates > 0) renumber(db, 'rows', SCHEMA, 'hash, text, labels');
  return { size: loaded - duplicates, duplicates, conflicts, skippedBlank: stats.skippedBlank, format, hash };
}
