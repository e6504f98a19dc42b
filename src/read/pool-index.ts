import type Database from 'better-sqlite3';
import type { TextPool } from '../core/types.js';
import { DataFileError } from '../errors.js';
import {
  DEFAULT_MAX_TEXT_CHARS,
  dataRecords,
  lineRecord,
  normalizeText,
  textOf,
  type RecordStats,
} from './read-records.js';
import { formatOf, readSource, type DataFormat } from './read-source.js';
import { streamLines } from './stream-lines.js';
import { deleteRepeats, hashOf, LOAD_BATCH, openIndexDb, renumber } from './bulk-index.js';

export { hashOf } from './bulk-index.js';

export interface PoolIndexOptions {
  maxTextChars?: number;
  format?: DataFormat;
  /** Directory for the index database (default: an unlinked file in a temp directory: see bulk-index openIndexDb). */
  dir?: string;
  /** Text ids (util/hash textId) to leave out, e.g. the gold file's: counted in `excluded`, not indexed. */
  exclude?: ReadonlySet<string>;
}

/**
 * A pool file's unique texts in an on-disk SQLite table, in file order, keyed by a 64-bit hash of
 * the normalized text (the first 64 bits of its sha256: the same bits as util/hash textId). Reading,
 * de-duplication and exclusion stream through the file, so a pool of N texts costs one read chunk
 * and SQLite's page cache, not N strings: texts are read back by position when a round needs them.
 * De-duplication is exact: a hash match is confirmed by comparing the normalized texts.
 */
export class PoolIndex implements TextPool {
  /** Unique texts indexed (after exclusion). */
  readonly size: number;
  readonly duplicates: number;
  readonly skippedBlank: number;
  /** Unique texts left out because their id was in `exclude`. */
  readonly excluded: number;
  readonly format: DataFormat;
  readonly hash: string;
  private readonly db: Database.Database;
  private readonly byPosition: Database.Statement<[number], { text: string }>;
  private readonly byHash: Database.Statement<[bigint], { text: string }>;
  private readonly byId: Database.Statement<[bigint], { id: number }>;

  private constructor(
    db: Database.Database,
    fields: {
      size: number;
      duplicates: number;
      skippedBlank: number;
      excluded: number;
      format: DataFormat;
      hash: string;
    },
  ) {
    this.db = db;
    this.size = fields.size;
    this.duplicates = fields.duplicates;
    this.skippedBlank = fields.skippedBlank;
    this.excluded = fields.excluded;
    this.format = fields.format;
    this.hash = fields.hash;
    this.byPosition = db.prepare('SELECT text FROM texts WHERE id = ?');
    this.byHash = db.prepare('SELECT text FROM texts WHERE hash = ?');
    this.byId = db.prepare('SELECT id FROM texts WHERE hash = ? ORDER BY id');
  }

  /** Reads `path` (JSONL, CSV or plain lines, as readTexts) into a new index. */
  static build(path: string, options: PoolIndexOptions = {}): PoolIndex {
    const format = options.format ?? formatOf(path);
    const maxChars = options.maxTextChars ?? DEFAULT_MAX_TEXT_CHARS;
    const db = openIndexDb(options.dir, 'pool-index.sqlite');
    try {
      db.exec(`DROP TABLE IF EXISTS texts; CREATE TABLE texts (id INTEGER PRIMARY KEY, ${SCHEMA});`);
      const fields = fill(db, path, format, maxChars, options.exclude);
      if (fields.size === 0 && fields.excluded === 0) {
        throw new DataFileError(path, `data file ${path} has no rows`, {
          hint: format === 'csv' ? 'add rows below the header line' : 'put at least one text in the file',
        });
      }
      return new PoolIndex(db, fields);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /**
   * The same index with the texts whose id is in `exclude` left out, as if it had been built with
   * that `exclude`: same positions, sizes and counts (pool-index.test.ts holds the two to each
   * other). Lets a caller that indexed the pool to plan the run hand the index to the run, instead
   * of reading, hashing and de-duplicating a million-text file twice. Takes over the database: use
   * the returned index, not this one (closing either closes both).
   */
  withoutIds(exclude: ReadonlySet<string>): PoolIndex {
    if (exclude.size === 0) return this;
    const positions = this.db.prepare<[bigint], { id: number; text: string }>(
      'SELECT id, text FROM texts WHERE hash = ?',
    );
    const remove = this.db.prepare<[number]>('DELETE FROM texts WHERE id = ?');
    let removed = 0;
    this.db.exec('BEGIN');
    try {
      for (const id of exclude) {
        // The index is de-duplicated: a hash has one row per distinct text, and an id excludes each.
        for (const row of positions.all(BigInt.asIntN(64, BigInt(`0x${id}`)))) {
          remove.run(row.id);
          removed++;
        }
      }
      this.db.exec('COMMIT');
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
    if (removed === 0) return this;
    this.db.exec('DROP INDEX texts_hash');
    renumber(this.db, 'texts', SCHEMA, 'hash, text');
    return new PoolIndex(this.db, {
      size: this.size - removed,
      duplicates: this.duplicates,
      skippedBlank: this.skippedBlank,
      excluded: this.excluded + removed,
      format: this.format,
      hash: this.hash,
    });
  }

  /** The text at `position` (0-based, file order of first occurrence). */
  textAt(position: number): string {
    const row = this.byPosition.get(position);
    if (!row) throw new RangeError(`pool position ${position} is outside 0..${this.size - 1}`);
    return row.text;
  }

  /** Texts at the given positions, in the order given. */
  textsAt(positions: readonly number[]): string[] {
    return positions.map((p) => this.textAt(p));
  }

  /** Positions of the texts whose id (util/hash textId) is `id`: the same 64 bits as the hash column. */
  positionsOf(id: string): number[] {
    return this.byId.all(BigInt.asIntN(64, BigInt(`0x${id}`))).map((r) => r.id);
  }

  /** Whether the pool holds `text` (whitespace-normalized, as de-duplication compares). */
  has(text: string): boolean {
    const key = normalizeText(text);
    return this.byHash.all(hashOf(key)).some((r) => normalizeText(r.text) === key);
  }

  /** Every text in file order, read in pages: for passes over the whole pool in bounded memory. */
  *texts(page = 1000): Generator<string> {
    const stmt = this.db.prepare<[number, number], { text: string }>(
      'SELECT text FROM texts WHERE id >= ? ORDER BY id LIMIT ?',
    );
    for (let from = 0; from < this.size; from += page) {
      for (const r of stmt.all(from, page)) yield r.text;
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

const SCHEMA = 'hash INTEGER NOT NULL, text TEXT NOT NULL';

function idOf(hash: bigint): string {
  return BigInt.asUintN(64, hash).toString(16).padStart(16, '0');
}

function fill(
  db: Database.Database,
  path: string,
  format: DataFormat,
  maxChars: number,
  exclude?: ReadonlySet<string>,
) {
  const insert = db.prepare<[number, bigint, string]>('INSERT INTO texts (id, hash, text) VALUES (?, ?, ?)');
  const stats: RecordStats = { skippedBlank: 0 };
  // Excluded texts seen so far: bounded by the exclude set, which the caller already holds.
  const excludedSeen = new Set<string>();
  let loaded = 0;
  let duplicates = 0;
  let pending = 0;
  db.exec('BEGIN');
  // Every text goes in; repeats are found once the hash index is built (bulk-index.ts).
  const add = (text: string) => {
    const key = normalizeText(text);
    const hash = hashOf(key);
    if (exclude?.size) {
      const id = idOf(hash);
      if (exclude.has(id)) {
        if (excludedSeen.has(key)) duplicates++;
        else excludedSeen.add(key);
        return;
      }
    }
    insert.run(loaded++, hash, text);
    if (++pending >= LOAD_BATCH) {
      db.exec('COMMIT; BEGIN');
      pending = 0;
    }
  };
  let hash: string;
  if (format === 'csv') {
    // CSV quoting lets a record span lines, so CSV is parsed whole; its texts still go to disk.
    const source = readSource(path);
    hash = source.hash;
    for (const record of dataRecords(source.content, format, path, stats)) add(textOf(record, path, format, maxChars));
  } else {
    const linesFormat = format;
    hash = streamLines(path, ({ line, text }) => {
      const record = lineRecord(line, text, linesFormat, path);
      if (record) add(textOf(record, path, linesFormat, maxChars));
      else stats.skippedBlank++;
    }).hash;
  }
  db.exec('COMMIT');
  db.exec('CREATE INDEX texts_hash ON texts(hash)');
  // A hash match is confirmed by comparing the normalized texts: de-duplication is exact.
  const repeats = deleteRepeats<{ id: number; text: string }>(
    db,
    'texts',
    'text',
    (row, earlier) => normalizeText(row.text) === normalizeText(earlier.text),
  );
  if (repeats > 0) renumber(db, 'texts', SCHEMA, 'hash, text');
  return {
    size: loaded - repeats,
    duplicates: duplicates + repeats,
    skippedBlank: stats.skippedBlank,
    excluded: excludedSeen.size,
    format,
    hash,
  };
}

/** What sampling needs of a generator (util/random Rng has it). */
export interface IntSource {
  int(n: number): number;
}

/**
 * k distinct positions out of 0..size-1, uniformly, in O(k) memory: a forward Fisher-Yates over a
 * virtual array whose swapped cells live in a Map. The same generator state gives the same sample.
 */
export function samplePositions(size: number, k: number, rng: IntSource): number[] {
  const take = Math.min(k, size);
  const moved = new Map<number, number>();
  const out: number[] = [];
  for (let i = 0; i < take; i++) {
    const j = i + rng.int(size - i);
    const atJ = moved.get(j) ?? j;
    moved.set(j, moved.get(i) ?? i);
    out.push(atJ);
  }
  return out;
}
