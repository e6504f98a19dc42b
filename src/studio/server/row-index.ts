import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { Example } from '../../data/example.js';
import { REVIEW_FILE, type ReviewLine } from '../../data/label-noise/index.js';
import { RUN_FILES } from '../../run/run-files.js';
import { loadStudent } from '../../student/registry.js';
import type { Student } from '../../student/types.js';
import { type FoldPrediction, outOfFoldSig } from './out-of-fold.js';
import { type FacetName, RowColumns } from './row-columns.js';

export type { FacetName };

/** A derived, disposable index of every run's training rows; rebuilt whenever a run's files change. */
export const INDEX_FILE = join('.studio', 'index.sqlite');

/** Student margin under which a row counts as low confidence. */
export const LOW_MARGIN = 0.2;

const SCHEMA_VERSION = '7';

const CREATE = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS indexed (run TEXT PRIMARY KEY, sig TEXT NOT NULL, rows INTEGER NOT NULL, has_student INTEGER NOT NULL, multi INTEGER NOT NULL, scored_by TEXT);
-- Out-of-fold predictions per run (out-of-fold.ts), kept while the training rows and student settings they came from are unchanged.
CREATE TABLE IF NOT EXISTS oof (run TEXT PRIMARY KEY, sig TEXT NOT NULL, folds INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rows (
  run        TEXT NOT NULL,
  idx        INTEGER NOT NULL,
  text_id    TEXT NOT NULL,
  text       TEXT NOT NULL,
  labels     TEXT NOT NULL,
  label      TEXT NOT NULL,
  source     TEXT NOT NULL,
  round      INTEGER NOT NULL,
  strategy   TEXT NOT NULL,
  teacher    TEXT NOT NULL,
  confidence REAL,
  attributes TEXT NOT NULL,
  predicted  TEXT,
  pred       TEXT,
  margin     REAL,
  probs      TEXT,
  disagree   INTEGER NOT NULL,
  low        INTEGER NOT NULL,
  flagged    INTEGER NOT NULL,
  suggested  TEXT,
  priority   REAL NOT NULL,
  PRIMARY KEY (run, idx)
);
-- Trigram full-text index of the texts: substring search without scanning every text.
CREATE VIRTUAL TABLE IF NOT EXISTS rows_fts USING fts5(text, tokenize = 'trigram', content = '', contentless_delete = 1);
CREATE TABLE IF NOT EXISTS row_labels (run TEXT NOT NULL, idx INTEGER NOT NULL, label TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS row_labels_by ON row_labels (run, label, idx);
CREATE INDEX IF NOT EXISTS rows_source ON rows (run, source);
CREATE INDEX IF NOT EXISTS rows_round ON rows (run, round);
CREATE INDEX IF NOT EXISTS rows_strategy ON rows (run, strategy);
CREATE INDEX IF NOT EXISTS rows_pred ON rows (run, pred);
CREATE INDEX IF NOT EXISTS rows_priority ON rows (run, priority DESC, idx);
CREATE INDEX IF NOT EXISTS rows_text_id ON rows (run, text_id);
-- Covers every facet and filter column but the text: counting under any filter reads this index alone.
CREATE INDEX IF NOT EXISTS rows_facets ON rows (run, labels, source, round, strategy, disagree, low, flagged, label, pred);
`;

/** What the disagreement, margin and review order of a run's rows come from. */
export type ScoredBy = 'out-of-fold' | 'student' | null;

export interface IndexMeta {
  rows: number;
  hasStudent: boolean;
  scoredBy: ScoredBy;
}

export interface IndexedRow {
  idx: number;
  textId: string;
  text: string;
  labels: string[];
  source: string;
  round: number;
  strategy: string;
  teacher: string;
  confidence: number | null;
  attributes: Record<string, string>;
  predicted: string[] | null;
  margin: number | null;
  /** Student probabilities by label, top 3. */
  probs: { label: string; p: number }[] | null;
  disagree: boolean;
  low: boolean;
  flagged: boolean;
  /** The label-noise check's suggestion, when it flagged the row. */
  suggested: string[] | null;
  priority: number;
}

export interface RowFilter {
  label?: string;
  predicted?: string;
  source?: string;
  round?: number;
  strategy?: string;
  disagree?: boolean;
  low?: boolean;
  flagged?: boolean;
  q?: string;
}

/** Rows matching a filter, and per facet the counts of its values under the other filters. */
export interface Facets {
  total: number;
  facets: Record<FacetName, { value: string; rows: number }[]>;
}

interface DbRow {
  idx: number;
  text_id: string;
  text: string;
  labels: string;
  source: string;
  round: number;
  strategy: string;
  teacher: string;
  confidence: number | null;
  attributes: string;
  predicted: string | null;
  margin: number | null;
  probs: string | null;
  disagree: number;
  low: number;
  flagged: number;
  suggested: string | null;
  priority: number;
}

function toRow(r: DbRow): IndexedRow {
  return {
    idx: r.idx,
    textId: r.text_id,
    text: r.text,
    labels: JSON.parse(r.labels),
    source: r.source,
    round: r.round,
    strategy: r.strategy,
    teacher: r.teacher,
    confidence: r.confidence,
    attributes: JSON.parse(r.attributes),
    predicted: r.predicted ? JSON.parse(r.predicted) : null,
    margin: r.margin,
    probs: r.probs ? JSON.parse(r.probs) : null,
    disagree: r.disagree === 1,
    low: r.low === 1,
    flagged: r.flagged === 1,
    suggested: r.suggested ? JSON.parse(r.suggested) : null,
    priority: r.priority,
  };
}

function readJsonl<T>(path: string): T[] {
  if (!existsSync(path)) return [];
  const out: T[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      // a torn line; the rest of the file is still worth showing
    }
  }
  return out;
}

function sigOf(dir: string): string {
  return [RUN_FILES.training, REVIEW_FILE, RUN_FILES.student]
    .map((f) => {
      try {
        const s = statSync(join(dir, f));
        return `${s.size}:${s.mtimeMs}`;
      } catch {
        return '-';
      }
    })
    .join('|');
}

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * Review priority: what most needs a human first. A noise flag and a teacher/student disagreement
 * each weigh more than any margin, so they come first; the student's uncertainty orders the rest.
 */
export function priorityOf(r: { disagree: boolean; flagged: boolean; margin: number | null }): number {
  return (r.flagged ? 2 : 0) + (r.disagree ? 1.5 : 0) + (r.margin === null ? 0 : 1 - Math.min(1, r.margin));
}

export class RowIndex {
  readonly db: Database.Database;
  /** Facet counts by run and filter; cleared when a run is re-indexed. */
  /** Runs with multi-label rows filter labels through row_labels; others on the indexed first label. */
  private readonly multi = new Map<string, boolean>();
  /** In-memory filter columns by run; dropped whenever the run's index changes. */
  private readonly cols = new Map<string, RowColumns>();
  /** The signature each run had when this connection last looked at it. */
  private readonly seen = new Map<string, string>();

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file, { timeout: 15_000 });
    this.db.pragma('journal_mode = WAL');
    // A derived file: losing the last commits to a crash only means rebuilding it.
    this.db.pragma('synchronous = OFF');
    const version = (() => {
      try {
        return (this.db.prepare(`SELECT value FROM meta WHERE key = 'version'`).get() as { value: string } | undefined)
          ?.value;
      } catch {
        return undefined;
      }
    })();
    if (version !== SCHEMA_VERSION) {
      this.db.exec(
        'DROP TABLE IF EXISTS rows; DROP TABLE IF EXISTS row_labels; DROP TABLE IF EXISTS indexed; DROP TABLE IF EXISTS rows_fts; DROP TABLE IF EXISTS oof;',
      );
      this.db.exec(CREATE);
      this.db.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES ('version', ?)`).run(SCHEMA_VERSION);
    }
  }

  /**
   * Indexes the run when its files changed since the last time (or its out-of-fold predictions
   * arrived); says what scored the rows: out-of-fold students, the run's own student, or nothing.
   */
  ensure(run: string, dir: string): IndexMeta {
    const oofSig = this.storedOutOfFoldSig(run, dir);
    const sig = `${sigOf(dir)}|${oofSig ? `oof:${oofSig}` : 'in-sample'}`;
    const have = this.db
      .prepare(`SELECT sig, rows, has_student, multi, scored_by FROM indexed WHERE run = ?`)
      .get(run) as { sig: string; rows: number; has_student: number; multi: number; scored_by: ScoredBy } | undefined;
    // Rescored by another connection (the out-of-fold worker) since this one last looked.
    if (this.seen.get(run) !== sig) {
      this.cols.delete(run);
      this.seen.set(run, sig);
    }
    if (have && have.sig === sig) {
      this.multi.set(run, have.multi === 1);
      return { rows: have.rows, hasStudent: have.has_student === 1, scoredBy: have.scored_by };
    }
    this.cols.delete(run);
    const oof = oofSig
      ? (JSON.parse(
          (this.db.prepare(`SELECT data FROM oof WHERE run = ?`).pluck().get(run) as string | undefined) ?? 'null',
        ) as FoldPrediction[] | null)
      : null;
    return this.build(run, dir, sig, oof ?? undefined);
  }

  /** The signature of the run's stored out-of-fold predictions, when they match its current rows and settings. */
  private storedOutOfFoldSig(run: string, dir: string): string | undefined {
    const have = this.db.prepare(`SELECT sig FROM oof WHERE run = ?`).pluck().get(run) as string | undefined;
    return have !== undefined && have === outOfFoldSig(dir) ? have : undefined;
  }

  /** Whether out-of-fold predictions for the run's current rows and settings are stored. */
  hasOutOfFold(run: string, dir: string): boolean {
    return this.storedOutOfFoldSig(run, dir) !== undefined;
  }

  /**
   * Stores out-of-fold predictions computed for `sig` and rescores the run's indexed rows with them
   * in place (a rebuild would redo the full-text index too). Called from the worker that computed
   * them, on its own connection: the server's reads go on meanwhile (WAL) and see the new scores
   * once this commits.
   */
  saveOutOfFold(run: string, dir: string, sig: string, folds: number, predictions: FoldPrediction[]): void {
    this.db.transaction(() => {
      this.db
        .prepare(`INSERT OR REPLACE INTO oof (run, sig, folds, data) VALUES (?, ?, ?, ?)`)
        .run(run, sig, folds, JSON.stringify(predictions));
      const have = this.db.prepare(`SELECT sig, rows FROM indexed WHERE run = ?`).get(run) as
        | { sig: string; rows: number }
        | undefined;
      // Indexed from other files than these predictions: the next ensure rebuilds with them anyway.
      if (!have || have.rows !== predictions.length || have.sig !== `${sigOf(dir)}|in-sample`) return;
      const current = this.db.prepare(`SELECT idx, labels, flagged FROM rows WHERE run = ?`).all(run) as {
        idx: number;
        labels: string;
        flagged: number;
      }[];
      const update = this.db.prepare(
        `UPDATE rows SET predicted = ?, pred = ?, margin = ?, probs = ?, disagree = ?, low = ?, priority = ? WHERE run = ? AND idx = ?`,
      );
      for (const r of current) {
        const p = predictions[r.idx];
        const disagree = !same(p.labels, JSON.parse(r.labels) as string[]);
        update.run(
          JSON.stringify(p.labels),
          p.labels[0] ?? '',
          p.margin,
          JSON.stringify(p.probs),
          disagree ? 1 : 0,
          p.margin < LOW_MARGIN ? 1 : 0,
          priorityOf({ disagree, flagged: r.flagged === 1, margin: p.margin }),
          run,
          r.idx,
        );
      }
      this.db
        .prepare(`UPDATE indexed SET sig = ?, scored_by = 'out-of-fold' WHERE run = ?`)
        .run(`${sigOf(dir)}|oof:${sig}`, run);
    })();
  }

  private build(run: string, dir: string, sig: string, oof?: FoldPrediction[]): IndexMeta {
    const examples = readJsonl<Example>(join(dir, RUN_FILES.training));
    const review = new Map(readJsonl<ReviewLine>(join(dir, REVIEW_FILE)).map((r) => [r.text, r]));
    let student: Student | undefined;
    try {
      if (existsSync(join(dir, RUN_FILES.student))) student = loadStudent(join(dir, RUN_FILES.student));
    } catch {
      student = undefined;
    }
    // Out-of-fold predictions when they are in (and cover these rows); else the run's own student,
    // which was trained on these very rows and so agrees with most of their labels, wrong ones too.
    const useOof = oof !== undefined && oof.length === examples.length;
    const scoredBy: ScoredBy = useOof ? 'out-of-fold' : student ? 'student' : null;
    const predictOf = (e: Example, idx: number): FoldPrediction | undefined => {
      if (useOof) return oof[idx];
      const p = student?.predict(e.text);
      if (!p) return undefined;
      return {
        labels: p.labels,
        margin: p.margin,
        probs: [...p.probs]
          .map((v, i) => ({ label: student!.labels[i], p: Math.round(v * 1000) / 1000 }))
          .sort((a, b) => b.p - a.p)
          .slice(0, 3),
      };
    };
    const insert = this.db.prepare(
      `INSERT INTO rows VALUES (@run, @idx, @textId, @text, @labels, @label, @source, @round, @strategy, @teacher, @confidence,
        @attributes, @predicted, @pred, @margin, @probs, @disagree, @low, @flagged, @suggested, @priority)`,
    );
    const insertLabel = this.db.prepare(`INSERT INTO row_labels VALUES (?, ?, ?)`);
    const insertText = this.db.prepare(`INSERT INTO rows_fts (rowid, text) VALUES (?, ?)`);
    this.db.transaction(() => {
      this.db.prepare(`DELETE FROM rows_fts WHERE rowid IN (SELECT rowid FROM rows WHERE run = ?)`).run(run);
      this.db.prepare(`DELETE FROM rows WHERE run = ?`).run(run);
      this.db.prepare(`DELETE FROM row_labels WHERE run = ?`).run(run);
      examples.forEach((e, idx) => {
        const p = predictOf(e, idx);
        const noise = review.get(e.text);
        const flagged = noise !== undefined || e.attributes?.relabeledFrom !== undefined;
        const disagree = p ? !same(p.labels, e.labels) : false;
        const margin = p ? p.margin : null;
        const probs = p ? p.probs : null;
        const inserted = insert.run({
          run,
          idx,
          textId: e.id,
          text: e.text,
          labels: JSON.stringify(e.labels),
          label: e.labels[0] ?? '',
          source: e.source,
          round: e.round,
          strategy: e.attributes?.strategy ?? e.source,
          // A reviewer's row names who labeled it (the data browser shows this column as "teacher").
          teacher: e.reviewer ? `human (${e.reviewer})` : e.teacher,
          confidence: e.confidence ?? null,
          attributes: JSON.stringify(e.attributes ?? {}),
          predicted: p ? JSON.stringify(p.labels) : null,
          pred: p ? (p.labels[0] ?? '') : null,
          margin,
          probs: probs ? JSON.stringify(probs) : null,
          disagree: disagree ? 1 : 0,
          low: margin !== null && margin < LOW_MARGIN ? 1 : 0,
          flagged: flagged ? 1 : 0,
          suggested: noise ? JSON.stringify(noise.suggested) : null,
          priority: priorityOf({ disagree, flagged, margin }),
        });
        insertText.run(inserted.lastInsertRowid, e.text);
        for (const l of e.labels) insertLabel.run(run, idx, l);
      });
      const multi = examples.some((e) => e.labels.length > 1) ? 1 : 0;
      this.db
        .prepare(`INSERT OR REPLACE INTO indexed VALUES (?, ?, ?, ?, ?, ?)`)
        .run(run, sig, examples.length, student ? 1 : 0, multi, scoredBy);
      this.multi.set(run, multi === 1);
    })();
    return { rows: examples.length, hasStudent: student !== undefined, scoredBy };
  }

  private where(run: string, f: RowFilter, skip?: FacetName): { sql: string; args: unknown[] } {
    const parts = ['r.run = ?'];
    const args: unknown[] = [run];
    if (f.label !== undefined && skip !== 'label') {
      if (this.multi.get(run)) {
        parts.push('r.idx IN (SELECT idx FROM row_labels WHERE run = ? AND label = ?)');
        args.push(run, f.label);
      } else {
        parts.push('r.label = ?');
        args.push(f.label);
      }
    }
    if (f.predicted !== undefined) {
      parts.push('r.pred = ?');
      args.push(f.predicted);
    }
    if (f.source !== undefined && skip !== 'source') {
      parts.push('r.source = ?');
      args.push(f.source);
    }
    if (f.round !== undefined && skip !== 'round') {
      parts.push('r.round = ?');
      args.push(f.round);
    }
    if (f.strategy !== undefined && skip !== 'strategy') {
      parts.push('r.strategy = ?');
      args.push(f.strategy);
    }
    for (const flag of ['disagree', 'low', 'flagged'] as const) {
      if (f[flag] !== undefined && skip !== flag) {
        parts.push(`r.${flag} = ?`);
        args.push(f[flag] ? 1 : 0);
      }
    }
    if (f.q) {
      if ([...f.q].length >= 3) {
        // Trigram phrase: a case-insensitive substring match answered from the full-text index.
        parts.push('r.rowid IN (SELECT rowid FROM rows_fts WHERE rows_fts MATCH ?)');
        args.push(`"${f.q.replace(/"/g, '""')}"`);
      } else {
        // Too short for trigrams: LIKE (ASCII case-insensitive), its own % and _ escaped.
        parts.push(`r.text LIKE ? ESCAPE '\\'`);
        args.push(`%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      }
    }
    return { sql: parts.join(' AND '), args };
  }

  /** The run's filter columns in memory, read once per state of its index. */
  private columns(run: string): RowColumns {
    let cols = this.cols.get(run);
    if (!cols) {
      cols = new RowColumns(this.db, run, this.multi.get(run) ?? false);
      this.cols.set(run, cols);
    }
    return cols;
  }

  /**
   * Rows whose text contains `q`, case-insensitively: a trigram phrase answered by the full-text
   * index, or, under three characters, LIKE (ASCII case-insensitive) with its own % and _ escaped.
   */
  private textMatches(run: string, q: string | undefined): Set<number> | undefined {
    if (!q) return undefined;
    const cols = this.columns(run);
    if ([...q].length >= 3) {
      const rowids = this.db
        .prepare(`SELECT rowid FROM rows_fts WHERE rows_fts MATCH ?`)
        .pluck()
        .all(`"${q.replace(/"/g, '""')}"`) as number[];
      return cols.idxOfRowids(rowids);
    }
    const idx = this.db
      .prepare(`SELECT idx FROM rows WHERE run = ? AND text LIKE ? ESCAPE '\\'`)
      .pluck()
      .all(run, `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) as number[];
    return new Set(idx);
  }

  /** A page of rows matching the filter, in file order (or review priority), with the total. */
  page(
    run: string,
    f: RowFilter,
    opts: { offset: number; limit: number; order?: 'file' | 'priority'; total?: number },
  ): { total: number; rows: IndexedRow[] } {
    const { total, idx } = this.columns(run).select(f, this.textMatches(run, f.q), opts);
    if (idx.length === 0) return { total, rows: [] };
    const byIdx = new Map(
      (
        this.db
          .prepare(`SELECT * FROM rows WHERE run = ? AND idx IN (SELECT value FROM json_each(?))`)
          .all(run, JSON.stringify(idx)) as DbRow[]
      ).map((r) => [r.idx, r]),
    );
    return { total, rows: idx.map((i) => toRow(byIdx.get(i)!)) };
  }

  /** Every row matching the filter, few columns: for bulk actions. */
  matching(
    run: string,
    f: RowFilter,
  ): { textId: string; text: string; labels: string[]; suggested: string[] | null }[] {
    const w = this.where(run, f);
    return (
      this.db.prepare(`SELECT text_id, text, labels, suggested FROM rows r WHERE ${w.sql}`).all(...w.args) as {
        text_id: string;
        text: string;
        labels: string;
        suggested: string | null;
      }[]
    ).map((r) => ({
      textId: r.text_id,
      text: r.text,
      labels: JSON.parse(r.labels),
      suggested: r.suggested ? JSON.parse(r.suggested) : null,
    }));
  }

  /**
   * Counts per value of each facet, each under the other filters (so a facet still shows where its
   * other values would lead), from the run's in-memory columns in one pass.
   */
  facets(run: string, f: RowFilter): Facets {
    return this.columns(run).facets(f, this.textMatches(run, f.q));
  }

  /** Teacher label against student prediction, over all the run's rows (single-label view). */
  confusion(run: string): { labels: string[]; cells: { label: string; pred: string; rows: number }[] } {
    return this.columns(run).confusion();
  }

  row(run: string, textId: string): IndexedRow | undefined {
    const r = this.db.prepare(`SELECT * FROM rows WHERE run = ? AND text_id = ?`).get(run, textId) as DbRow | undefined;
    return r ? toRow(r) : undefined;
  }

  close(): void {
    this.db.close();
  }
}
