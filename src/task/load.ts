import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import type { Task } from './schema.js';
import { taskKindSpec } from './kinds.js';
import { configErrorFromZod } from './load-issues.js';
import { parseTaskFile } from './load-source.js';

/** Reads, validates and normalizes a task file (YAML or JSON). Relative paths in it are relative to its directory. */
export function loadTask(path: string): Task {
  const file = resolve(path);
  const parsed = parseTaskFile(file);
  return taskFromObject(parsed.value, { baseDir: dirname(file), file, lineOf: parsed.lineOf });
}

export interface TaskFromObjectOptions {
  /** Directory that relative paths (`pool`, `eval`, `dataset:…`) are relative to. */
  baseDir: string;
  /** The task file, for error messages and `Task.file`. */
  file?: string;
  lineOf?: (path: readonly PropertyKey[]) => number | undefined;
}

/** Validates a task given as an object (a parsed file, or a task with CLI overrides applied). */
export function taskFromObject(obj: unknown, options: TaskFromObjectOptions): Task {
  const { file, lineOf } = options;
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw new ConfigError('a task must be a mapping of settings (name, instruction, labels, teacher, …)', {
      file,
      hint: 'see the commented example that `apprentice init` writes',
    });
  }
  const kindLine = lineOf?.(['kind']);
  const kind = taskKindSpec((obj as Record<string, unknown>).kind, { file, line: kindLine });
  const result = kind.schema.safeParse(obj);
  if (!result.success) throw configErrorFromZod(result.error, { file, input: obj, lineOf, schema: kind.schema });
  const t = result.data;
  const fail = (path: PropertyKey[], message: string, hint?: string): never => {
    const field = path.map(String).join('.');
    const line = lineOf?.(path);
    throw new ConfigError(`${field}: ${message}${line !== undefined ? ` (line ${line})` : ''}`, { file, field, hint });
  };
  // Labels and seeds (or an extraction task's types and span seeds) are the kind's business.
  const own = kind.fields(t, fail);

  const existing = (path: PropertyKey[], value: string) => {
    const abs = resolve(options.baseDir, value);
    let isFile = false;
    try {
      isFile = statSync(abs).isFile();
    } catch {
      fail(
        path,
        `file not found: ${abs}`,
        `paths are relative to the task file's directory (${options.baseDir}); check the spelling`,
      );
    }
    if (!isFile) fail(path, `${abs} is not a file`, 'point it at a data file (JSONL, CSV or one text per line)');
    return abs;
  };
  const pool = t.pool === undefined ? undefined : existing(['pool'], t.pool);
  const evalFile = t.eval === undefined ? undefined : existing(['eval'], t.eval);
  const teacher = { ...t.teacher };
  const data = { ...t.data };
  if (data.retrieveFrom !== undefined) data.retrieveFrom = existing(['data', 'retrieveFrom'], data.retrieveFrom);
  if (data.reviewTeacher?.startsWith('dataset:'))
    data.reviewTeacher = `dataset:${existing(['data', 'reviewTeacher'], data.reviewTeacher.slice('dataset:'.length).trim())}`;
  if (teacher.model.startsWith('dataset:')) {
    const rel = teacher.model.slice('dataset:'.length).trim();
    if (rel === '')
      fail(
        ['teacher', 'model'],
        'a dataset teacher needs a file: `dataset:<path to a labeled JSONL or CSV>`',
        'e.g. `model: dataset:./labeled.jsonl`',
      );
    teacher.model = `dataset:${existing(['teacher', 'model'], rel)}`;
  }

  return {
    ...(own.kind !== undefined ? { kind: own.kind } : {}),
    name: t.name,
    instruction: t.instruction,
    multiLabel: own.multiLabel,
    labels: own.labels,
    seeds: own.seeds,
    ...(own.spanSeeds !== undefined ? { spanSeeds: own.spanSeeds } : {}),
    ...(pool !== undefined ? { pool } : {}),
    ...(evalFile !== undefined ? { eval: evalFile } : {}),
    teacher,
    student: t.student,
    budget: t.budget,
    loop: t.loop,
    data,
    seed: t.seed,
    ...(file !== undefined ? { file } : {}),
  };
}

/** CLI flags that override the task file. Paths are relative to `cwd`. */
export interface TaskOverrides {
  budgetAnswers?: number;
  eval?: string;
  pool?: string;
  /** `provider:model`. */
  teacher?: string;
  baseUrl?: string;
  seed?: number;
  /** `--batch`: the provider's batch API. */
  batch?: boolean;
}

/** Task field → the override that sets it and the flag the user typed. */
const FLAGS: Record<string, [keyof TaskOverrides, string]> = {
  'budget.answers': ['budgetAnswers', '--budget-answers'],
  eval: ['eval', '--eval'],
  pool: ['pool', '--pool'],
  'teacher.model': ['teacher', '--teacher'],
  'teacher.baseUrl': ['baseUrl', '--base-url'],
  seed: ['seed', '--seed'],
  'teacher.mode': ['batch', '--batch'],
};

/** The task with CLI overrides applied, validated like the task file; errors name the flag. */
export function applyOverrides(task: Task, overrides: TaskOverrides, options: { cwd?: string } = {}): Task {
  const cwd = options.cwd ?? process.cwd();
  const o = overrides;
  const given = Object.entries(o).filter(([, v]) => v !== undefined);
  if (given.length === 0) return task;
  const fromCwd = (p: string) => resolve(cwd, p);
  const teacherModel =
    o.teacher === undefined
      ? task.teacher.model
      : o.teacher.startsWith('dataset:')
        ? `dataset:${fromCwd(o.teacher.slice('dataset:'.length).trim() || '.')}`
        : o.teacher;
  const obj = {
    name: task.name,
    instruction: task.instruction,
    ...taskKindSpec(task.kind).toFileFields(task),
    pool: o.pool !== undefined ? fromCwd(o.pool) : task.pool,
    eval: o.eval !== undefined ? fromCwd(o.eval) : task.eval,
    teacher: {
      ...task.teacher,
      model: teacherModel,
      ...(o.baseUrl !== undefined ? { baseUrl: o.baseUrl } : {}),
      ...(o.batch ? { mode: 'batch' as const } : {}),
    },
    student: task.student,
    budget: { ...task.budget, ...(o.budgetAnswers !== undefined ? { answers: o.budgetAnswers } : {}) },
    loop: task.loop,
    seed: o.seed ?? task.seed,
  };
  try {
    return { ...taskFromObject(obj, { baseDir: cwd }), ...(task.file !== undefined ? { file: task.file } : {}) };
  } catch (e) {
    const entry = e instanceof ConfigError && e.field !== undefined ? FLAGS[e.field] : undefined;
    if (!entry || o[entry[0]] === undefined || !(e instanceof ConfigError)) throw e;
    throw new ConfigError(`${entry[1]}: ${e.message}`, { field: e.field, hint: e.hint, cause: e });
  }
}
