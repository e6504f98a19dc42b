import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { BatchRecord, CachedResponse, LedgerEntry, LedgerTotals, Store } from './types.js';
import { migrate } from './sqlite-schema.js';
import { StoreFileError } from '../errors.js';

/** How long a write waits for another process's lock before giving up. Generous: writes are tiny. */
const BUSY_TIMEOUT_MS = 15_000;

interface CacheRow {
  body: string;
  input_tokens: number;
  output_tokens: number;
  http_requests: number;
  paid_requests: number;
  dollars: number;
  ms: number;
  created_at: string;
}

interface LedgerRow {
  run_id: string;
  teacher: string;
  kind: LedgerEntry['kind'];
  key: string;
  answers: number;
  cached: number;
  http_requests: number;
  paid_requests: number;
  input_tokens: number;
  output_tokens: number;
  dollars: number;
  dollars_used: number;
  ms: number;
  at: string;
}

/**
 * Store on a SQLite file (better-sqlite3). Safe to share between processes: WAL lets readers run
 * beside a writer, and writers wait for each other up to BUSY_TIMEOUT_MS.
 *
 * synchronous=FULL: every commit is fsynced before `putCached` returns, because the gate uses a
 * paid answer right after storing it and the process (or machine) may die the next instant.
 */
export class SqliteStore implements Store {
  readonly file: string;
  private readonly db: Database.Database;
  private readonly stmt: {
    get: Database.Statement<[string], CacheRow>;
    put: Database.Statement<[Record<string, unknown>]>;
    append: Database.Statement<[Record<string, unknown>]>;
    ledger: Database.Statement<[string], LedgerRow>;
    totals: Database.Statement<[string], LedgerTotals>;
  };

  constructor(path: string) {
    const inMemory = path === ':memory:';
    this.file = inMemory ? path : resolve(path);
    let db: Database.Database | undefined;
    try {
      if (!inMemory) mkdirSync(dirname(this.file), { recursive: true });
      db = new Database(this.file, { timeout: BUSY_TIMEOUT_MS });
      // The first statement is the first read of the file: a corrupt file fails here.
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      migrate(db, this.file);
      this.stmt = {
        get: db.prepare(
          `SELECT body, input_tokens, output_tokens, http_requests, paid_requests, dollars, ms, created_at FROM cache WHERE key = ?`,
        ),
        put: db.prepare(
          `INSERT OR IGNORE INTO cache (key, body, input_tokens, output_tokens, http_requests, paid_requests, dollars, ms, created_at)
           VALUES (@key, @body, @inputTokens, @outputTokens, @httpRequests, @paidRequests, @dollars, @ms, @createdAt)`,
        ),
        append: db.prepare(
          `INSERT INTO ledger (run_id, teacher, kind, key, answers, cached, http_requests, paid_requests, input_tokens, output_tokens, dollars, dollars_used, ms, at)
           VALUES (@runId, @teacher, @kind, @key, @answers, @cached, @httpRequests, @paidRequests, @inputTokens, @outputTokens, @dollars, @dollarsUsed, @ms, @at)`,
        ),
        ledger: db.prepare(
          `SELECT run_id, teacher, kind, key, answers, cached, http_requests, paid_requests, input_tokens, output_tokens, dollars, dollars_used, ms, at
           FROM ledger WHERE run_id = ? ORDER BY id`,
        ),
        totals: db.prepare(
          `SELECT COALESCE(SUM(answers), 0)       AS answers,
                  COUNT(*)                        AS calls,
                  COALESCE(SUM(cached), 0)        AS cacheHits,
                  COALESCE(SUM(http_requests), 0) AS httpRequests,
                  COALESCE(SUM(paid_requests), 0) AS paidRequests,
                  COALESCE(SUM(input_tokens), 0)  AS inputTokens,
                  COALESCE(SUM(output_tokens), 0) AS outputTokens,
                  COALESCE(SUM(dollars), 0)       AS dollars,
                  COALESCE(SUM(dollars_used), 0)  AS dollarsUsed,
                  COALESCE(SUM(ms), 0)            AS ms
           FROM ledger WHERE run_id = ?`,
        ),
      };
      this.db = db;
    } catch (e) {
      try {
        db?.close();
      } catch {
        // Already failing; the original error is the one worth reporting.
      }
      throw storeError(this.file, e);
    }
  }

  getCached(key: string): CachedResponse | undefined {
    const row = this.guard(() => this.stmt.get.get(key));
    if (!row) return undefined;
    return {
      body: JSON.parse(row.body),
      inputTokens: row.input_tokens,
      outputTokens: row.output_tokens,
      httpRequests: row.http_requests,
      paidRequests: row.paid_requests,
      dollars: row.dollars,
      ms: row.ms,
      createdAt: row.created_at,
    };
  }

  putCached(key: string, r: CachedResponse): void {
    // `?? 'null'`: JSON.stringify(undefined) is undefined, and the column is NOT NULL.
    const body = JSON.stringify(r.body) ?? 'null';
    this.guard(() =>
      this.stmt.put.run({
        key,
        body,
        inputTokens: r.inputTokens,
        outputTokens: r.outputTokens,
        httpRequests: r.httpRequests,
        paidRequests: r.paidRequests,
        dollars: r.dollars,
        ms: r.ms,
        createdAt: r.createdAt,
      }),
    );
  }

  appendLedger(e: LedgerEntry): void {
    this.guard(() =>
      this.stmt.append.run({
        runId: e.runId,
        teacher: e.teacher,
        kind: e.kind,
        key: e.key,
        answers: e.answers,
        cached: e.cached ? 1 : 0,
        httpRequests: e.httpRequests,
        paidRequests: e.paidRequests,
        inputTokens: e.inputTokens,
        outputTokens: e.outputTokens,
        dollars: e.dollars,
        dollarsUsed: e.dollarsUsed,
        ms: e.ms,
        at: e.at,
      }),
    );
  }

  ledger(runId: string): LedgerEntry[] {
    return this.guard(() => this.stmt.ledger.all(runId)).map((r) => ({
      runId: r.run_id,
      teacher: r.teacher,
      kind: r.kind,
      key: r.key,
      answers: r.answers,
      cached: r.cached !== 0,
      httpRequests: r.http_requests,
      paidRequests: r.paid_requests,
      inputTokens: r.input_tokens,
      outputTokens: r.output_tokens,
      dollars: r.dollars,
      dollarsUsed: r.dollars_used,
      ms: r.ms,
      at: r.at,
    }));
  }

  /**
   * Sums in SQL. Counts are exact; dollar sums may differ from `totalsOf` in the last bits, since
   * SQLite adds floating-point values with compensated summation.
   */
  totals(runId: string): LedgerTotals {
    return { ...this.guard(() => this.stmt.totals.get(runId))! };
  }

  recordBatch(batch: BatchRecord): void {
    this.guard(() =>
      this.db.transaction(() => {
        this.db
          .prepare(`INSERT INTO batches (id, provider, created_at, closed) VALUES (?, ?, ?, ?)`)
          .run(batch.id, batch.provider, batch.createdAt, batch.closed ?? null);
        const item = this.db.prepare(`INSERT INTO batch_items (item_id, batch_id) VALUES (?, ?)`);
        for (const id of batch.items) item.run(id, batch.id);
      })(),
    );
  }

  openBatchFor(itemId: string): BatchRecord | undefined {
    const row = this.guard(
      () =>
        this.db
          .prepare(
            `SELECT b.id, b.provider, b.created_at FROM batch_items i JOIN batches b ON b.id = i.batch_id
             WHERE i.item_id = ? AND b.closed IS NULL ORDER BY b.rowid DESC LIMIT 1`,
          )
          .get(itemId) as { id: string; provider: string; created_at: string } | undefined,
    );
    if (!row) return undefined;
    const items = this.guard(
      () =>
        this.db.prepare(`SELECT item_id FROM batch_items WHERE batch_id = ? ORDER BY rowid`).all(row.id) as {
          item_id: string;
        }[],
    );
    return { id: row.id, provider: row.provider, createdAt: row.created_at, items: items.map((i) => i.item_id) };
  }

  closeBatch(id: string, status: string): void {
    this.guard(() => this.db.prepare(`UPDATE batches SET closed = ? WHERE id = ?`).run(status, id));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw storeError(this.file, e);
    }
  }
}

/** Turns SQLite's terse codes into an error that names the file and what to do about it. */
function storeError(file: string, e: unknown): unknown {
  if (e instanceof StoreFileError) return e;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return e;
  const reason = e instanceof Error ? e.message : String(e);
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new StoreFileError(file, `the teacher cache ${file} is corrupt or not a SQLite database (${reason})`, {
      hint: `delete ${file} and its -wal/-shm files (cached answers are lost and will be bought again), or point the cache at another path`,
      cause: e,
    });
  }
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_LOCKED')) {
    return new StoreFileError(
      file,
      `the teacher cache ${file} stayed locked by another process for over ${BUSY_TIMEOUT_MS / 1000}s (${reason})`,
      {
        hint: 'wait for the other run to finish, or give this run its own cache path',
        cause: e,
      },
    );
  }
  if (
    code.startsWith('SQLITE_CANTOPEN') ||
    code.startsWith('SQLITE_READONLY') ||
    code.startsWith('SQLITE_IOERR') ||
    code === 'SQLITE_PERM' ||
    code === 'EACCES' ||
    code === 'EEXIST' ||
    code === 'ENOTDIR' ||
    code === 'EROFS'
  ) {
    return new StoreFileError(file, `cannot open or write the teacher cache ${file} (${reason})`, {
      hint: 'check that the path is a writable file in a writable directory, or point the cache elsewhere',
      cause: e,
    });
  }
  return e;
}
