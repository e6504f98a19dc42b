import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadTask } from '../task/load.js';
import { runCli, tempDir } from './cli-harness.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('apprentice init', () => {
  it('writes a starter task that loads once its data files exist', async () => {
    const r = await runCli(['init'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('task.yaml');
    const file = path.join(tmp.dir, 'task.yaml');
    const yaml = readFileSync(file, 'utf8');
    expect(yaml).toMatch(/^#/m);
    // The starter names a pool and a dataset teacher file; give it both, as a user would.
    writeFileSync(path.join(tmp.dir, 'pool.jsonl'), '{"text":"where is my parcel"}\n');
    writeFileSync(path.join(tmp.dir, 'labeled.jsonl'), '{"text":"where is my parcel","label":"shipping"}\n');
    const task = loadTask(file);
    expect(task.labels.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses to overwrite without --force, and overwrites with it', async () => {
    const file = path.join(tmp.dir, 'task.yaml');
    writeFileSync(file, '# my edits\n');
    const refused = await runCli(['init'], { cwd: tmp.dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('already exists');
    expect(refused.stderr).toContain('--force');
    expect(readFileSync(file, 'utf8')).toBe('# my edits\n');

    const forced = await runCli(['init', '--force'], { cwd: tmp.dir });
    expect(forced.code).toBe(0);
    expect(readFileSync(file, 'utf8')).not.toBe('# my edits\n');
  });

  it('derives a loadable task from a labeled file', async () => {
    const rows = ['a cat sat', 'a dog ran', 'the cat slept', 'the dog barked'].map((text, i) =>
      JSON.stringify({ text, label: i % 2 ? 'dog' : 'cat' }),
    );
    writeFileSync(path.join(tmp.dir, 'pets.jsonl'), `${rows.join('\n')}\n`);
    const r = await runCli(['init', 'sub/pets.yaml', '--from-dataset', 'pets.jsonl'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    const task = loadTask(path.join(tmp.dir, 'sub', 'pets.yaml'));
    expect(task.labels.map((l) => l.name)).toEqual(['cat', 'dog']);
    expect(task.pool).toBe(path.join(tmp.dir, 'pets.jsonl'));
  });

  it('a missing dataset file is a data file error (exit 3)', async () => {
    const r = await runCli(['init', 'x.yaml', '--from-dataset', 'nope.jsonl'], { cwd: tmp.dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('nope.jsonl');
  });
});
