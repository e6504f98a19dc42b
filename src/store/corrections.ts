import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { DataFileError } from '../errors.js';

/**
 * Where the studio keeps human corrections, relative to a runs directory: beside the runs, so every
 * run of a task shares them (and `distill` reads them from the runs directory it writes into).
 */
export const CORRECTIONS_FILE = join('.studio', 'corrections.sqlite');

export type Decision = 'accept' | 'relabel' | 'unusable';

/** A span a reviewer kept or drew in an extraction run's text (UTF-16 offsets, `end` exclusive). */
export interface CorrectedSpan {
  start: number;
  end: number;
  type: string;
  text: string;
}

export interface Correction {
  id: number;
  task: string;
  textId: string;
  text: string;
  /** Labels a human chose (empty for `unusable`). */
  labels: string[];
  decision: Decision;
  reviewer: string;
  /** Run directory name the row was reviewed in. */
  run: string;
  at: string;
  /** Extraction runs: the spans the reviewer accepted or drew (absent on classification decisions). */
  spans?: CorrectedSpan[];
}

const CREATE = `
CREATE TABLE IF NOT EXISTS corrections (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  task     TEXT NOT NULL,
  text_id  TEXT NOT NULL,
  text     TEXT NOT NULL,
  labels   TEXT NOT NULL,
  decision TEXT NOT NULL CHECK (decision IN ('accept', 'relabel', 'unusable')),
  reviewer TEXT NOT NULL,
  run      TEXT NOT NULL,
  at       TEXT NOT NULL,
  undone   INTEGER NOT NULL DEFAULT 0,
  batch    TEXT
);
CREATE INDEX IF NOT EXISTS corrections_task_text ON corrections (task, text_id, undone);
`;

/**
 * Schema versions (PRAGMA user_version): 0 = the classification table as first shipped; 1 adds
 * `spans` (JSON, null on classification rows) for extraction reviews. A file made by an older
 * studio is migrated when a studio opens it for writing; readers cope with either.
 */
const SCHEMA_VERSION = 1;

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version >= SCHEMA_VERSION) return;
  db.transaction(() => {
    if (!hasSpansColumn(db)) db.exec('ALTER TABLE corrections ADD COLUMN spans TEXT');
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}

const hasSpansColumn = (db: Database.Database) =>
  (db.prepare(`PRAGMA table_info(corrections)`).all() as { name: string }[]).some((c) => c.name === 'spans');

/** Opens (creating) the corrections file: WAL, fsync on every commit, since each keystroke is a decision. */
export function openCorrections(file: string): Database.Database {
  mkdirSync(dirname(resolve(file)), { recursive: true });
  const db = new Database(file, { timeout: 15_000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(CREATE);
  migrate(db);
  return db;
}

interface Row {
  id: number;
  task: string;
  text_id: string;
  text: string;
  labels: string;
  decision: Decision;
  reviewer: string;
  run: string;
  at: string;
  /** Absent in a file not migrated yet (read-only readers see it as it is). */
  spans?: string | null;
}

const toCorrection = (r: Row): Correction => ({
  id: r.id,
  task: r.task,
  textId: r.text_id,
  text: r.text,
  labels: JSON.parse(r.labels) as string[],
  decision: r.decision,
  reviewer: r.reviewer,
  run: r.run,
  at: r.at,
  ...(r.spans ? { spans: JSON.parse(r.spans) as CorrectedSpan[] } : {}),
});

/** The decisions in force: the latest one not undone per text of the task. */
function current(db: Database.Database, task: string): Correction[] {
  const rows = db
    .prepare(
      `SELECT c.* FROM corrections c
       JOIN (SELECT text_id, MAX(id) AS id FROM corrections WHERE task = ? AND undone = 0 GROUP BY text_id) m ON m.id = c.id`,
    )
    .all(task) as Row[];
  return rows.map(toCorrection);
}

/** A human's label for one text: what distill trains on instead of asking the teacher. */
export interface HumanLabel {
  labels: string[];
  reviewer: string;
}

/** The decisions in force for one task, keyed by text (the loop and the pool know texts, not studio ids). */
export interface HumanCorrections {
  /** Accepted or relabeled texts: trained on with provenance `human`, never sent to the teacher. */
  labels: Map<string, HumanLabel>;
  /** Texts marked unusable: left out of training (and never sent to the teacher). */
  unusable: Set<string>;
}

/**
 * The decisions people made in the studio for `task` (latest per text, undone ones left out). The
 * file is `<runs>/.studio/corrections.sqlite` (CORRECTIONS_FILE); no file yet means no corrections,
 * and none is created. Read-only: a studio writing the file at the same time is fine (WAL).
 */
export function readCorrections(correctionsFile: string, task: string): HumanCorrections {
  const out: HumanCorrections = { labels: new Map(), unusable: new Set() };
  for (const c of readCorrectionRows(correctionsFile, task)) {
    if (c.decision === 'unusable') out.unusable.add(c.text);
    // A span decision (an extraction task of the same name) is no label.
    else if (!c.spans) out.labels.set(c.text, { labels: c.labels, reviewer: c.reviewer });
  }
  return out;
}

/** A reviewer's spans for one text of an extraction task. */
export interface HumanSpans {
  spans: CorrectedSpan[];
  reviewer: string;
}

/** The extraction decisions in force for one task, keyed by text. */
export interface HumanSpanCorrections {
  /** Accepted or edited texts: trained on with provenance `human`, never sent to the teacher. */
  spans: Map<string, HumanSpans>;
  /** Texts rejected: left out of training (and never sent to the teacher). */
  unusable: Set<string>;
}

/**
 * The span decisions people made in the studio for an extraction `task` (latest per text, undone
 * ones left out), as `readCorrections` reads label decisions: no file means none, read-only.
 */
export function readSpanCorrections(correctionsFile: string, task: string): HumanSpanCorrections {
  const out: HumanSpanCorrections = { spans: new Map(), unusable: new Set() };
  const read = readCorrectionRows(correctionsFile, task);
  for (const c of read) {
    if (c.decision === 'unusable') out.unusable.add(c.text);
    else if (c.spans) out.spans.set(c.text, { spans: c.spans, reviewer: c.reviewer });
  }
  return out;
}

function readCorrectionRows(correctionsFile: string, task: string): Correction[] {
  if (!existsSync(correctionsFile)) return [];
  let db: Database.Database | undefined;
  try {
    db = new Database(correctionsFile, { readonly: true, fileMustExist: true, timeout: 15_000 });
    // A file made by something else (or an older studio) without the table holds no corrections.
    const table = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'corrections'`).get();
    if (!table) return [];
    return current(db, task);
  } catch (e) {
    throw new DataFileError(correctionsFile, `cannot read the studio's corrections: ${(e as Error).message}`, {
      hint: 'point --corrections at the file `apprentice studio` writes (<runs>/.studio/corrections.sqlite), or pass --no-corrections',
      cause: e,
    });
  } finally {
    db?.close();
  }
}

export interface NewCorrection {
  task: string;
  textId: string;
  text: string;
  labels: string[];
  decision: Decision;
  reviewer: string;
  run: string;
  /** Extraction runs: the text's spans as the reviewer left them. */
  spans?: CorrectedSpan[];
}

/** The studio's handle on the corrections file. Every write is its own committed transaction. */
export class CorrectionStore {
  readonly db: Database.Database;
  constructor(readonly file: string) {
    this.db = openCorrections(file);
  }

  add(c: NewCorrection, batch?: string): Correction {
    const at = new Date().toISOString();
    const info = this.db
      .prepare(
        `INSERT INTO corrections (task, text_id, text, labels, decision, reviewer, run, at, batch, spans) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        c.task,
        c.textId,
        c.text,
        JSON.stringify(c.labels),
        c.decision,
        c.reviewer,
        c.run,
        at,
        batch ?? null,
        c.spans ? JSON.stringify(c.spans) : null,
      );
    return { ...c, id: Number(info.lastInsertRowid), at };
  }

  /** Many decisions in one transaction, under one batch id so one undo takes them all back. */
  addMany(rows: NewCorrection[]): { batch: string; count: number } {
    const batch = `b${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    this.db.transaction(() => {
      for (const r of rows) this.add(r, batch);
    })();
    return { batch, count: rows.length };
  }

  /** Takes back this reviewer's latest decision (a whole bulk batch at once); returns what was undone. */
  undoLast(reviewer: string, task: string): Correction[] {
    const last = this.db
      .prepare(`SELECT * FROM corrections WHERE reviewer = ? AND task = ? AND undone = 0 ORDER BY id DESC LIMIT 1`)
      .get(reviewer, task) as (Row & { batch: string | null }) | undefined;
    if (!last) return [];
    const rows = (
      last.batch ? this.db.prepare(`SELECT * FROM corrections WHERE batch = ? AND undone = 0`).all(last.batch) : [last]
    ) as Row[];
    const mark = this.db.prepare(`UPDATE corrections SET undone = 1 WHERE id = ?`);
    this.db.transaction(() => {
      for (const r of rows) mark.run(r.id);
    })();
    return rows.map(toCorrection);
  }

  /** Decisions in force for these text ids. */
  forTexts(task: string, textIds: readonly string[]): Map<string, Correction> {
    const out = new Map<string, Correction>();
    if (textIds.length === 0) return out;
    const stmt = this.db.prepare(
      `SELECT * FROM corrections WHERE task = ? AND text_id = ? AND undone = 0 ORDER BY id DESC LIMIT 1`,
    );
    for (const id of textIds) {
      const r = stmt.get(task, id) as Row | undefined;
      if (r) out.set(id, toCorrection(r));
    }
    return out;
  }

  all(task: string): Correction[] {
    return current(this.db, task);
  }

  close(): void {
    this.db.close();
  }
}
