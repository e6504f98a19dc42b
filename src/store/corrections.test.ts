import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataFileError } from '../errors.js';
import Database from 'better-sqlite3';
import { CorrectionStore, readCorrections, readSpanCorrections } from './corrections.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'studio-corrections-'));
  file = join(dir, '.studio', 'corrections.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const row = (n: number, decision: 'accept' | 'relabel' | 'unusable', labels: string[], reviewer = 'ana') => ({
  task: 'topics',
  textId: `t${n}`,
  text: `text ${n}`,
  labels,
  decision,
  reviewer,
  run: 'r1',
});

describe('corrections', () => {
  it('keeps every decision across a reopen, latest per text in force', () => {
    const store = new CorrectionStore(file);
    store.add(row(1, 'accept', ['a']));
    store.add(row(2, 'relabel', ['b']));
    store.add(row(3, 'unusable', []));
    store.add(row(1, 'relabel', ['c']));
    store.close();

    const again = new CorrectionStore(file);
    const now = again.forTexts('topics', ['t1', 't2', 't3', 't4']);
    expect(now.get('t1')).toMatchObject({ decision: 'relabel', labels: ['c'], reviewer: 'ana' });
    expect(now.get('t3')?.decision).toBe('unusable');
    expect(now.has('t4')).toBe(false);
    again.close();

    const read = readCorrections(file, 'topics');
    expect(read.labels).toEqual(
      new Map([
        ['text 1', { labels: ['c'], reviewer: 'ana' }],
        ['text 2', { labels: ['b'], reviewer: 'ana' }],
      ]),
    );
    expect(read.unusable).toEqual(new Set(['text 3']));
    expect(readCorrections(file, 'other-task').labels.size).toBe(0);
  });

  it('undo takes back the reviewer’s latest decision only, and a bulk batch as one', () => {
    const store = new CorrectionStore(file);
    store.add(row(1, 'accept', ['a']));
    store.add(row(1, 'relabel', ['b']));
    store.add(row(9, 'accept', ['z'], 'bo'));
    expect(store.undoLast('ana', 'topics').map((c) => c.labels)).toEqual([['b']]);
    // The earlier decision on the same text is in force again.
    expect(store.forTexts('topics', ['t1']).get('t1')?.labels).toEqual(['a']);
    const bulk = store.addMany([row(2, 'unusable', []), row(3, 'unusable', []), row(4, 'unusable', [])]);
    expect(bulk.count).toBe(3);
    expect(store.all('topics')).toHaveLength(5);
    expect(store.undoLast('ana', 'topics')).toHaveLength(3);
    expect(
      store
        .all('topics')
        .map((c) => c.textId)
        .sort(),
    ).toEqual(['t1', 't9']);
    store.close();
  });

  it('no file yet means no corrections (and creates nothing)', () => {
    const missing = join(dir, 'missing.sqlite');
    const read = readCorrections(missing, 'topics');
    expect(read.labels.size + read.unusable.size).toBe(0);
    expect(existsSync(missing)).toBe(false);
  });

  it('a file that is not a corrections database is a data error naming it, with what to do', () => {
    mkdirSync(join(dir, '.studio'), { recursive: true });
    writeFileSync(file, 'not sqlite at all, just text');
    let error: unknown;
    try {
      readCorrections(file, 'topics');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as DataFileError).file).toBe(file);
    expect((error as DataFileError).message).toMatch(/cannot read the studio's corrections/);
    expect((error as DataFileError).hint).toMatch(/--no-corrections/);
  });
});

describe('span corrections (extraction reviews)', () => {
  const spans = [{ start: 0, end: 3, type: 'city', text: 'Oslo'.slice(0, 3) }];
  it('stores spans beside label decisions, and each reader sees only its own kind', () => {
    const store = new CorrectionStore(file);
    store.add({ ...row(1, 'relabel', []), task: 'ner', text: 'Osl is far', spans });
    store.add({ ...row(2, 'unusable', []), task: 'ner', text: 'junk' });
    store.add(row(3, 'accept', ['a']));
    expect(store.forTexts('ner', ['t1']).get('t1')?.spans).toEqual(spans);
    expect(store.forTexts('topics', ['t3']).get('t3')?.spans).toBeUndefined();
    store.close();
    const read = readSpanCorrections(file, 'ner');
    expect([...read.spans]).toEqual([['Osl is far', { spans, reviewer: 'ana' }]]);
    expect([...read.unusable]).toEqual(['junk']);
    // A span decision is no classification label.
    expect(readCorrections(file, 'ner').labels.size).toBe(0);
    expect(readCorrections(file, 'topics').labels.get('text 3')?.labels).toEqual(['a']);
  });

  it('migrates a file written before spans existed, keeping its rows', () => {
    mkdirSync(join(dir, '.studio'), { recursive: true });
    const old = new Database(file);
    old.exec(`CREATE TABLE corrections (
      id INTEGER PRIMARY KEY AUTOINCREMENT, task TEXT NOT NULL, text_id TEXT NOT NULL, text TEXT NOT NULL,
      labels TEXT NOT NULL, decision TEXT NOT NULL CHECK (decision IN ('accept', 'relabel', 'unusable')),
      reviewer TEXT NOT NULL, run TEXT NOT NULL, at TEXT NOT NULL, undone INTEGER NOT NULL DEFAULT 0, batch TEXT)`);
    old
      .prepare(
        `INSERT INTO corrections (task, text_id, text, labels, decision, reviewer, run, at) VALUES (?,?,?,?,?,?,?,?)`,
      )
      .run('topics', 't1', 'text 1', '["b"]', 'relabel', 'old', 'r0', '2026-01-01T00:00:00Z');
    old.close();
    // Read-only readers cope with the old file as it is.
    expect(readCorrections(file, 'topics').labels.get('text 1')?.labels).toEqual(['b']);
    expect(readSpanCorrections(file, 'topics').spans.size).toBe(0);
    const store = new CorrectionStore(file);
    expect(store.db.pragma('user_version', { simple: true })).toBe(1);
    store.add({ ...row(2, 'accept', []), task: 'ner', spans });
    expect(store.forTexts('topics', ['t1']).get('t1')).toMatchObject({ labels: ['b'], reviewer: 'old' });
    store.close();
    expect(readSpanCorrections(file, 'ner').spans.get('text 2')?.spans).toEqual(spans);
  });
});
