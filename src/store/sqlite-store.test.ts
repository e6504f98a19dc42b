import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ApprenticeError } from '../errors.js';
import { DEFAULT_STORE_PATH, openStore } from './index.js';
import { SCHEMA_VERSION } from './sqlite-schema.js';
import { SqliteStore } from './sqlite-store.js';
import { StoreFileError } from '../errors.js';
import { entry, response, runStoreContract } from './store.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'apprentice-store-'));
let n = 0;
const fresh = (): string => join(dir, `s${n++}`, 'cache.sqlite');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runStoreContract('SqliteStore', () => new SqliteStore(fresh()));
runStoreContract('SqliteStore :memory:', () => new SqliteStore(':memory:'));

describe('SqliteStore on disk', () => {
  it('creates missing parent directories and keeps data across close and reopen', () => {
    const file = join(dir, 'deep', 'er', 'cache.sqlite');
    const a = new SqliteStore(file);
    a.putCached('k', response({ label: 'x' }));
    a.appendLedger(entry({ runId: 'r1' }));
    a.close();
    const b = new SqliteStore(file);
    expect(b.getCached('k')).toEqual(response({ label: 'x' }));
    expect(b.ledger('r1')).toEqual([entry({ runId: 'r1' })]);
    b.close();
  });

  it('uses WAL and fsyncs every commit', () => {
    const s = new SqliteStore(fresh());
    const db = (s as unknown as { db: Database.Database }).db;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    s.close();
  });

  it('shares the file with other processes writing at the same time', async () => {
    const file = fresh();
    const parent = new SqliteStore(file);
    parent.putCached('from-parent', response('hello'));
    const [a, b] = await Promise.all([child(file, 'a', 25), child(file, 'b', 25)]);
    expect(a).toEqual({ sawParent: 'hello' });
    expect(b).toEqual({ sawParent: 'hello' });
    // The parent's connection stayed open throughout and still sees every committed row.
    expect(parent.ledger('shared')).toHaveLength(50);
    expect(parent.totals('shared')).toMatchObject({ calls: 50, answers: 50 });
    expect(parent.getCached('a-24')!.body).toBe('a-24');
    expect(parent.getCached('b-0')!.body).toBe('b-0');
    expect(['a', 'b']).toContain(parent.getCached('shared')!.body);
    parent.close();
  });

  it('keeps an answer written just before the process is killed', async () => {
    const file = fresh();
    const script = `
      const { SqliteStore } = await import(${JSON.stringify(storeUrl)});
      const s = new SqliteStore(process.argv[1]);
      s.putCached('paid', { body: 'bought', inputTokens: 1, outputTokens: 1, httpRequests: 1, paidRequests: 1, dollars: 1, ms: 1, createdAt: 'now' });
      process.kill(process.pid, 'SIGKILL');
    `;
    const died = await promisify(execFile)(process.execPath, [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      script,
      file,
    ]).catch((e: { signal?: string }) => e);
    expect((died as { signal?: string }).signal).toBe('SIGKILL');
    const s = new SqliteStore(file);
    expect(s.getCached('paid')!.body).toBe('bought');
    s.close();
  });

  it('opens the default path under the working directory', () => {
    const cwd = process.cwd();
    const work = join(dir, 'cwd');
    mkdirSync(work);
    try {
      process.chdir(work);
      const s = openStore();
      s.close();
      expect(existsSync(join(work, DEFAULT_STORE_PATH))).toBe(true);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('SqliteStore refuses files it cannot trust', () => {
  it('names a corrupt file and says how to fix it', () => {
    const file = join(dir, 'corrupt.sqlite');
    writeFileSync(file, 'this is not a database\n'.repeat(200));
    const err = catchError(() => new SqliteStore(file));
    expect(err).toBeInstanceOf(StoreFileError);
    expect(err).toBeInstanceOf(ApprenticeError);
    expect((err as StoreFileError).file).toBe(file);
    expect((err as StoreFileError).message).toContain(file);
    expect((err as StoreFileError).hint).toMatch(/delete .*corrupt\.sqlite/);
  });

  it('refuses a file written by a newer schema', () => {
    const file = fresh();
    new SqliteStore(file).close();
    const raw = new Database(file);
    raw.prepare(`UPDATE meta SET value = ? WHERE key = 'schema_version'`).run(String(SCHEMA_VERSION + 1));
    raw.close();
    const err = catchError(() => new SqliteStore(file));
    expect(err).toBeInstanceOf(StoreFileError);
    expect((err as Error).message).toMatch(/newer Apprentice/);
  });

  it('leaves a foreign SQLite database untouched', () => {
    const file = join(dir, 'foreign.sqlite');
    const raw = new Database(file);
    raw.exec('CREATE TABLE customers (id INTEGER)');
    raw.close();
    expect(catchError(() => new SqliteStore(file))).toBeInstanceOf(StoreFileError);
    const check = new Database(file);
    const tables = check.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all();
    check.close();
    expect(tables).toEqual([{ name: 'customers' }]);
  });

  it('explains a path it cannot open', () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, '');
    const err = catchError(() => new SqliteStore(join(blocker, 'cache.sqlite')));
    expect(err).toBeInstanceOf(StoreFileError);
    expect((err as StoreFileError).hint).toMatch(/point the cache elsewhere/);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

const storeUrl = pathToFileURL(fileURLToPath(new URL('./sqlite-store.ts', import.meta.url))).href;

/** Another OS process on the same file: reads the parent's row, then writes its own rows. */
async function child(file: string, name: string, count: number): Promise<unknown> {
  const script = `
    const { SqliteStore } = await import(${JSON.stringify(storeUrl)});
    const [file, name, count] = process.argv.slice(1);
    const s = new SqliteStore(file);
    const r = (body) => ({ body, inputTokens: 1, outputTokens: 1, httpRequests: 1, paidRequests: 1, dollars: 0, ms: 1, createdAt: 'now' });
    const sawParent = s.getCached('from-parent')?.body;
    s.putCached('shared', r(name));
    for (let i = 0; i < Number(count); i++) {
      s.putCached(name + '-' + i, r(name + '-' + i));
      s.appendLedger({ runId: 'shared', teacher: 't', kind: 'label', key: name + '-' + i, answers: 1, cached: false,
        httpRequests: 1, paidRequests: 1, inputTokens: 1, outputTokens: 1, dollars: 0, dollarsUsed: 0, ms: 1, at: 'now' });
    }
    s.close();
    process.stdout.write(JSON.stringify({ sawParent }));
  `;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script, file, name, String(count)],
    {
      cwd: process.cwd(),
    },
  );
  return JSON.parse(stdout);
}
