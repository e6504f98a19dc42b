import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { classifyTaskKind } from './classify-kind.js';
import { closest } from './did-you-mean.js';
import { extractTaskKind } from './extract-kind.js';
import type { LabelDef, SpanSeed, Task } from './schema.js';

/** Throws a ConfigError naming the field (dotted path) and its line in the task file. */
export type FailAt = (path: PropertyKey[], message: string, hint?: string) => never;

/** What a task kind decides about a parsed task file: its labels (or types) and its seeds. */
export interface KindFields {
  kind?: Task['kind'];
  multiLabel: boolean;
  /** Classification labels, or an extraction task's types. */
  labels: LabelDef[];
  seeds: Task['seeds'];
  spanSeeds?: SpanSeed[];
}

/**
 * A task kind, as a registry row (as student kinds are): the task file's schema for it and how its
 * own fields are checked and normalized. The loop and `distill` dispatch on the kind through their
 * own rows (src/loop/kinds, src/run/task-kinds.ts); adding a kind is adding a row in each.
 */
export interface TaskKindSpec {
  readonly name: NonNullable<Task['kind']>;
  readonly description: string;
  // The kinds' schemas differ in shape; each row reads only its own output.
  readonly schema: z.ZodType<any>;
  /** The kind's fields of a parsed file; problems go through `fail` so they name field and line. */
  fields(parsed: any, fail: FailAt): KindFields;
  /** The task back as a task-file object's kind fields (for CLI overrides, which re-validate). */
  toFileFields(task: Task): Record<string, unknown>;
}

const KINDS: Readonly<Record<string, TaskKindSpec>> = {
  classify: classifyTaskKind,
  extract: extractTaskKind,
};

export const DEFAULT_TASK_KIND = 'classify';

export function taskKindNames(): string[] {
  return Object.keys(KINDS);
}

/** The row for `kind` (absent: classify); an unknown kind is a ConfigError naming the field. */
export function taskKindSpec(kind: unknown, where: { file?: string; line?: number } = {}): TaskKindSpec {
  const name = kind === undefined ? DEFAULT_TASK_KIND : kind;
  if (typeof name === 'string' && Object.hasOwn(KINDS, name)) return KINDS[name];
  const guess = typeof name === 'string' ? closest(name, taskKindNames()) : undefined;
  throw new ConfigError(
    `kind: ${JSON.stringify(name)} is not a task kind${where.line !== undefined ? ` (line ${where.line})` : ''}`,
    {
      file: where.file,
      field: 'kind',
      hint: `${guess ? `did you mean \`${guess}\`? ` : ''}use one of: ${taskKindNames().join(', ')} (classify when left out)`,
    },
  );
}
