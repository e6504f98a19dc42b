import { ConfigError } from '../../errors.js';
import type { Task } from '../../task/schema.js';
import type { ExtractTaskContext } from '../../teacher/extract/prompts.js';
import type { ExtractTeacher } from '../../teacher/extract/types.js';
import { createTeacher, type TeacherContext } from '../../teacher/registry.js';
import { DatasetExtractTeacher } from './dataset-extract-teacher.js';

/** What the extraction prompt shows of a task: instruction, types with descriptions, a few seeds. */
export function extractTaskContext(task: Task): ExtractTaskContext {
  return {
    instruction: task.instruction,
    types: task.labels,
    seeds: (task.spanSeeds ?? []).map((s) => ({
      text: s.text,
      entities: s.spans.map((sp) => ({ type: sp.type, text: sp.text })),
    })),
  };
}

/**
 * The teacher of an extraction task: `dataset:` answers from a labeled extraction file; any LLM
 * provider answers through its `extract` (structured output restricted to the types, alignment).
 */
export async function createExtractTeacher(task: Task, ctx: Omit<TeacherContext, 'task'>): Promise<ExtractTeacher> {
  const types = task.labels.map((l) => l.name);
  if (task.teacher.model.startsWith('dataset:'))
    return new DatasetExtractTeacher(task.teacher, { gate: ctx.gate, types, taskDir: ctx.taskDir, seed: ctx.seed });
  const context = extractTaskContext(task);
  const teacher = await createTeacher(task.teacher, {
    ...ctx,
    task: { instruction: task.instruction, labels: task.labels, multiLabel: false },
  });
  const extract = teacher.extract?.bind(teacher);
  if (!extract)
    throw new ConfigError(`teacher ${teacher.id} cannot answer extraction tasks`, {
      field: 'teacher.model',
      hint: 'use an LLM provider (openai:, anthropic:, openai-compatible:) or dataset:<labeled extraction file>',
    });
  const generate = teacher.extractGenerate?.bind(teacher);
  return {
    id: teacher.id,
    kind: teacher.kind,
    concurrency: teacher.concurrency,
    rejectionHint: teacher.rejectionHint,
    extract: (inputs, options) => extract(inputs, context, options),
    ...(generate ? { generate: (request) => generate(request, context) } : {}),
  };
}
