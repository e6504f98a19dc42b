import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { LoopSettingsSchema, DataSettingsSchema, TaskFileSchema, TeacherSettingsSchema } from './schema.js';
import { knownKeysAt } from './schema-keys.js';
import { starterTaskYaml, taskFromDataset } from './init.js';
import { loadTask } from './load.js';
import { sharedDataset } from '../../test/fixtures/shared-datasets.js';

const dir = mkdtempSync(join(tmpdir(), 'apprentice-init-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('starterTaskYaml', () => {
  it('loads and validates next to its pool and labeled files', () => {
    writeFileSync(join(dir, 'task.yaml'), starterTaskYaml());
    writeFileSync(join(dir, 'pool.jsonl'), '{"text":"where is my parcel"}\n');
    writeFileSync(join(dir, 'labeled.jsonl'), '{"text":"where is my parcel","label":"shipping"}\n');
    const task = loadTask(join(dir, 'task.yaml'));
    expect(task.labels.map((l) => l.name)).toEqual(['billing', 'shipping', 'technical', 'other']);
    expect(task.teacher.model).toBe(`dataset:${join(dir, 'labeled.jsonl')}`);
    expect(task.budget.answers).toBe(2000);
  });

  it('mentions every setting of the schema and keeps its defaults', () => {
    const text = starterTaskYaml();
    for (const parent of [[], ['teacher'], ['student'], ['budget'], ['loop'], ['data']]) {
      for (const key of knownKeysAt(TaskFileSchema, parent))
        expect(text, `${[...parent, key].join('.')} is not in the starter`).toMatch(
          new RegExp(`^\\s*#? ?${key}:`, 'm'),
        );
    }
    const written = parse(text);
    const { model: _m, ...teacherDefaults } = TeacherSettingsSchema.parse({ model: 'x:y' });
    expect(written.teacher).toMatchObject(teacherDefaults);
    expect(written.loop).toEqual(LoopSettingsSchema.parse({}));
    expect(written.data).toEqual(DataSettingsSchema.parse({}));
    expect(written.seed).toBe(TaskFileSchema.shape.seed.parse(undefined));
    expect(text).toMatch(/^ {2}# model: openai:gpt-4o-mini$/m);
  });
});

describe('taskFromDataset', () => {
  it('builds a loadable task with sorted labels and the file as teacher and pool', () => {
    const data = join(dir, 'data', 'train.jsonl');
    mkdirSync(join(dir, 'data'));
    writeFileSync(
      data,
      ['shipping', 'billing', 'yes', '1', 'billing']
        .map((label, i) => JSON.stringify({ text: `text ${i}`, label }))
        .join('\n'),
    );
    const out = join(dir, 'tasks', 'task.yaml');
    mkdirSync(join(dir, 'tasks'));
    const result = taskFromDataset(data, { taskFile: out });
    expect(result.labels).toEqual(['1', 'billing', 'shipping', 'yes']);
    expect(result.multiLabel).toBe(false);
    expect(result.yaml).toContain('model: dataset:../data/train.jsonl');
    expect(result.yaml).toMatch(/# TODO: description/);
    writeFileSync(out, result.yaml);
    const task = loadTask(out);
    expect(task.name).toBe('data-train');
    expect(task.labels.map((l) => l.name)).toEqual(['1', 'billing', 'shipping', 'yes']);
    expect(task.pool).toBe(data);
    expect(task.teacher.model).toBe(`dataset:${data}`);
    expect(task.eval).toBeUndefined();
    expect(task.budget.answers).toBe(5);
  });

  it('detects a multi-label file', () => {
    const data = join(dir, 'multi.jsonl');
    writeFileSync(data, '{"text":"a","labels":["x","y"]}\n{"text":"b","labels":[]}\n{"text":"c","labels":["z"]}\n');
    const result = taskFromDataset(data, { taskFile: join(dir, 'multi.yaml'), name: 'multi' });
    writeFileSync(join(dir, 'multi.yaml'), result.yaml);
    const task = loadTask(join(dir, 'multi.yaml'));
    expect(task.multiLabel).toBe(true);
    expect(task.labels).toHaveLength(3);
  });

  const banking77 = sharedDataset('banking77');
  it.skipIf(!banking77.has('train.jsonl'))(
    `handles a real 77-label dataset (${banking77.needs('train.jsonl')})`,
    () => {
      const result = taskFromDataset(banking77.path('train.jsonl'), { taskFile: join(dir, 'banking.yaml') });
      writeFileSync(join(dir, 'banking.yaml'), result.yaml);
      const task = loadTask(join(dir, 'banking.yaml'));
      expect(task.labels).toHaveLength(77);
      expect(task.name).toBe('banking77-train');
    },
  );
});
