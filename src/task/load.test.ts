import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { applyOverrides, loadTask, taskFromObject } from './load.js';

const dir = mkdtempSync(join(tmpdir(), 'apprentice-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'pool.jsonl'), '{"text":"hello"}\n');
writeFileSync(join(dir, 'labeled.jsonl'), '{"text":"hello","label":"a"}\n');

const GOOD = `name: demo
instruction: Sort each message into a or b.
labels:
  - a
  - name: b
    description: everything else
seeds:
  - text: hi
    label: a
pool: pool.jsonl
teacher:
  model: dataset:./labeled.jsonl
`;

let n = 0;
function taskFile(content: string, ext = 'yaml'): string {
  const path = join(dir, `task-${n++}.${ext}`);
  writeFileSync(path, content);
  return path;
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadTask', () => {
  it('loads, normalizes labels and seeds, and resolves paths against the task file', () => {
    const file = taskFile(GOOD);
    const task = loadTask(file);
    expect(task.labels).toEqual([{ name: 'a' }, { name: 'b', description: 'everything else' }]);
    expect(task.seeds).toEqual([{ text: 'hi', labels: ['a'] }]);
    expect(task.pool).toBe(join(dir, 'pool.jsonl'));
    expect(task.teacher.model).toBe(`dataset:${join(dir, 'labeled.jsonl')}`);
    expect(task.teacher.batchSize).toBe(10);
    expect(task.file).toBe(file);
    expect(task.loop.maxRounds).toBe(20);
  });

  it('loads the same task from JSON', () => {
    const json = JSON.stringify(
      {
        name: 'demo',
        instruction: 'Sort each message into a or b.',
        labels: ['a', 'b'],
        teacher: { model: 'openai:gpt-4o-mini' },
      },
      null,
      2,
    );
    expect(loadTask(taskFile(json, 'json')).labels).toEqual([{ name: 'a' }, { name: 'b' }]);
  });

  it('reports YAML and JSON syntax errors with file and line', () => {
    const yaml = configError(() => loadTask(taskFile('name: demo\nlabels: [a, b\nteacher:\n  model: x:y\n')));
    expect(yaml.message).toMatch(/task-\d+\.yaml:\d+: invalid YAML/);
    expect(yaml.file).toMatch(/\.yaml$/);
    const json = configError(() => loadTask(taskFile('{\n  "name": "demo",\n}\n', 'json')));
    expect(json.message).toMatch(/\.json:3: invalid JSON/);
    expect(configError(() => loadTask(join(dir, 'none.yaml'))).hint).toMatch(/apprentice init/);
    expect(configError(() => loadTask(taskFile('', 'yml'))).message).toMatch(/empty/);
    expect(configError(() => loadTask(taskFile('x', 'toml'))).message).toMatch(/\.yaml, \.yml or \.json/);
  });

  it('suggests the intended key for a typo, with the line', () => {
    const e = configError(() => loadTask(taskFile(GOOD.replace('teacher:\n  model', 'teacher:\n  modle'))));
    expect(e.field).toBe('teacher.modle');
    expect(e.hint).toBe('did you mean `model`?');
    expect(e.message).toMatch(/unknown key `modle` \(line 12\)/);
    const top = configError(() => loadTask(taskFile(GOOD.replace('teacher:', 'teachr:'))));
    expect(top.field).toBe('teachr');
    expect(top.hint).toMatch(/did you mean `teacher`/);
  });

  it('says where a misplaced key belongs', () => {
    const e = configError(() => loadTask(taskFile(`${GOOD}batchSize: 5\n`)));
    expect(e.field).toBe('batchSize');
    expect(e.hint).toMatch(/belongs under `teacher:`/);
  });

  it('shows an example line for a missing teacher', () => {
    const e = configError(() => loadTask(taskFile(GOOD.replace(/teacher:\n.*\n/, ''))));
    expect(e.field).toBe('teacher');
    expect(e.message).toMatch(/^teacher: required, but missing$/);
    expect(e.hint).toMatch(/model: openai:gpt-4o-mini/);
  });

  it('names nested fields: bad model, bad label entry, wrong type', () => {
    const model = configError(() => loadTask(taskFile(GOOD.replace('dataset:./labeled.jsonl', 'gpt4'))));
    expect(model.field).toBe('teacher.model');
    expect(model.hint).toMatch(/openai:gpt-4o-mini/);
    const label = configError(() => loadTask(taskFile(GOOD.replace('  - a\n', '  - a\n  - 7\n'))));
    expect(label.field).toBe('labels.1');
    expect(label.message).toMatch(/a label must be a name/);
    const type = configError(() => loadTask(taskFile(`${GOOD}  batchSize: "ten"\n`)));
    expect(type.field).toBe('teacher.batchSize');
    expect(type.hint).toMatch(/number without quotes/);
    const range = configError(() => loadTask(taskFile(`${GOOD}  noise: 2\n`)));
    expect(range.field).toBe('teacher.noise');
    expect(range.hint).toMatch(/≤ 1/);
  });

  it('data.skillProfile: report by default; true and false still mean steer and off; anything else names the field', () => {
    expect(loadTask(taskFile(GOOD)).data.skillProfile).toBe('report');
    expect(loadTask(taskFile(`${GOOD}data:\n  skillProfile: true\n`)).data.skillProfile).toBe('steer');
    expect(loadTask(taskFile(`${GOOD}data:\n  skillProfile: false\n`)).data.skillProfile).toBe('off');
    expect(loadTask(taskFile(`${GOOD}data:\n  skillProfile: steer\n`)).data.skillProfile).toBe('steer');
    const bad = configError(() => loadTask(taskFile(`${GOOD}data:\n  skillProfile: aim\n`)));
    expect(bad.field).toBe('data.skillProfile');
  });

  it('data.skillSteer: pool by default; any of pool, generation, weights; anything else names the entry', () => {
    expect(loadTask(taskFile(GOOD)).data.skillSteer).toEqual(['pool']);
    expect(loadTask(taskFile(`${GOOD}data:\n  skillSteer: [generation, weights]\n`)).data.skillSteer).toEqual([
      'generation',
      'weights',
    ]);
    const bad = configError(() => loadTask(taskFile(`${GOOD}data:\n  skillSteer: [pool, rows]\n`)));
    expect(bad.field).toBe('data.skillSteer.1');
    expect(configError(() => loadTask(taskFile(`${GOOD}data:\n  skillSteer: []\n`))).field).toBe('data.skillSteer');
  });

  it('rejects duplicate labels and seeds with unknown or too many labels', () => {
    const dup = configError(() => loadTask(taskFile(GOOD.replace('  - a\n', '  - a\n  - x\n  - a\n'))));
    expect(dup.field).toBe('labels.2');
    expect(dup.message).toMatch(/listed twice/);
    const seed = configError(() => loadTask(taskFile(GOOD.replace('    label: a', '    label: bb'))));
    expect(seed.field).toBe('seeds.0.label');
    expect(seed.hint).toMatch(/did you mean `b`\?/);
    const many = configError(() => loadTask(taskFile(GOOD.replace('    label: a', '    labels: [a, b]'))));
    expect(many.field).toBe('seeds.0.labels');
    expect(many.hint).toMatch(/multiLabel: true/);
  });

  it('checks that pool, eval and dataset files exist', () => {
    const pool = configError(() => loadTask(taskFile(GOOD.replace('pool.jsonl', 'nope.jsonl'))));
    expect(pool.field).toBe('pool');
    expect(pool.hint).toMatch(/relative to the task file's directory/);
    const ds = configError(() => loadTask(taskFile(GOOD.replace('./labeled.jsonl', './gone.jsonl'))));
    expect(ds.field).toBe('teacher.model');
    const ev = configError(() => loadTask(taskFile(`${GOOD}eval: gold.jsonl\n`)));
    expect(ev.field).toBe('eval');
  });

  it('taskFromObject refuses a non-mapping', () => {
    expect(configError(() => taskFromObject(['a'], { baseDir: dir })).message).toMatch(/mapping/);
  });
});

describe('applyOverrides', () => {
  const task = loadTask(taskFile(GOOD));

  it('applies flags, resolving paths against cwd', () => {
    const t = applyOverrides(
      task,
      {
        budgetAnswers: 50,
        pool: 'labeled.jsonl',
        teacher: 'openai:gpt-4o-mini',
        baseUrl: 'http://localhost:8000/v1',
        seed: 7,
      },
      { cwd: dir },
    );
    expect(t.budget.answers).toBe(50);
    expect(t.pool).toBe(join(dir, 'labeled.jsonl'));
    expect(t.teacher.model).toBe('openai:gpt-4o-mini');
    expect(t.teacher.baseUrl).toBe('http://localhost:8000/v1');
    expect(t.seed).toBe(7);
    expect(t.file).toBe(task.file);
    expect(t.labels).toEqual(task.labels);
    expect(applyOverrides(task, {})).toBe(task);
  });

  it('names the flag in errors', () => {
    expect(configError(() => applyOverrides(task, { eval: 'missing.jsonl' }, { cwd: dir })).message).toMatch(
      /^--eval: eval: file not found/,
    );
    expect(configError(() => applyOverrides(task, { teacher: 'gpt4' }, { cwd: dir })).message).toMatch(/^--teacher:/);
    expect(configError(() => applyOverrides(task, { budgetAnswers: 0 }, { cwd: dir })).field).toBe('budget.answers');
  });
});

describe('closest', () => {
  it('counts a swap of letters as one edit and refuses far-off words', async () => {
    const { closest, editDistance } = await import('./did-you-mean.js');
    expect(editDistance('modle', 'model')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(closest('Labels', ['labels', 'seeds'])).toBe('labels');
    expect(closest('zzz', ['labels', 'seeds'])).toBeUndefined();
  });
});
