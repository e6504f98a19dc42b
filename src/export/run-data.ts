import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DataFileError } from '../errors.js';
import { RUN_FILES } from '../run/run-files.js';

/**
 * What the dataset exports read from a finished run directory, checked at the boundary: a missing
 * file or a malformed row is an error naming the file (and line), not an export with holes.
 */
export const TaskJson = z.object({
  name: z.string(),
  instruction: z.string(),
  multiLabel: z.boolean(),
  labels: z.array(z.object({ name: z.string(), description: z.string().optional() })).min(1),
});

const SummaryJson = z.object({
  runId: z.string(),
  task: z.string(),
  stopReason: z.string().optional(),
  teacher: z.object({
    id: z.string(),
    kind: z.string(),
    answers: z.number(),
    requests: z.number().optional(),
    dollars: z.number().optional(),
    rejected: z.number().optional(),
  }),
  final: z.object({ split: z.string(), n: z.number(), accuracy: z.number(), macroF1: z.number() }).passthrough(),
  rounds: z.array(z.object({ round: z.number() }).passthrough()),
  trainingRows: z.number(),
});

const ExampleRow = z.object({
  id: z.string(),
  text: z.string(),
  labels: z.array(z.string()),
  source: z.enum(['seed', 'pool', 'generated', 'human']),
  round: z.number().int(),
  teacher: z.string(),
  /** With source `human`: who labeled the row in the studio. */
  reviewer: z.string().optional(),
  confidence: z.number().optional(),
  attributes: z.record(z.string(), z.string()).optional(),
});

export type RunTask = z.infer<typeof TaskJson>;
export type RunSummary = z.infer<typeof SummaryJson>;
export type RunExample = z.infer<typeof ExampleRow>;

export interface RunData {
  dir: string;
  task: RunTask;
  summary: RunSummary;
  examples: RunExample[];
}

export const HINT = 'pass a finished run directory (runs/<id>, the --out of `apprentice distill`)';

export function readRunData(dir: string): RunData {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new DataFileError(dir, `run directory not found: ${dir}`, { hint: HINT });
  const kind = readJson(dir, RUN_FILES.task, z.object({ kind: z.string().optional() }).passthrough()).kind;
  if (kind === 'extract')
    throw new DataFileError(
      path.join(dir, RUN_FILES.task),
      'this is an extraction run; this export takes classification runs',
      {
        hint: 'export an extraction run with `apprentice export hf-dataset` or `apprentice export runtime`',
      },
    );
  const task = readJson(dir, RUN_FILES.task, TaskJson);
  const summary = readJson(dir, RUN_FILES.summary, SummaryJson);
  const file = path.join(dir, RUN_FILES.training);
  const examples = readLines(file).map(({ line, text }) => {
    let row: unknown;
    try {
      row = JSON.parse(text);
    } catch {
      throw new DataFileError(file, 'line is not valid JSON', { line, hint: 'the run directory is damaged; rerun it' });
    }
    const parsed = ExampleRow.safeParse(row);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new DataFileError(file, `${issue.path.join('.') || 'row'}: ${issue.message}`, { line });
    }
    return parsed.data;
  });
  const known = new Set(task.labels.map((l) => l.name));
  examples.forEach((e, i) => {
    const bad = e.labels.find((l) => !known.has(l));
    if (bad !== undefined)
      throw new DataFileError(file, `label "${bad}" is not one of the task's labels`, { line: i + 1 });
  });
  return { dir, task, summary, examples };
}

export function readJson<T>(dir: string, name: string, schema: z.ZodType<T>): T {
  const file = path.join(dir, name);
  if (!existsSync(file)) throw new DataFileError(file, `${name} is missing from the run directory`, { hint: HINT });
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new DataFileError(file, `${name} is not valid JSON`, {
      cause,
      hint: 'the run directory is damaged; rerun it',
    });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DataFileError(file, `${name}: ${issue.path.join('.') || '(root)'}: ${issue.message}`, { hint: HINT });
  }
  return parsed.data;
}

export function readLines(file: string): { line: number; text: string }[] {
  if (!existsSync(file))
    throw new DataFileError(file, `${path.basename(file)} is missing from the run directory`, { hint: HINT });
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((text, i) => ({ line: i + 1, text }))
    .filter((l) => l.text.trim() !== '');
}
