import { ConfigError } from '../errors.js';
import type { Emitter } from '../events.js';
import type { TeacherSettings } from '../task/schema.js';
import type { CallGate } from './call-gate.js';
import { LlmTeacher } from './llm-teacher.js';
import { knownProviders, parseModelRef } from './providers.js';
import type { Teacher, TeacherTaskContext } from './types.js';

export interface TeacherContext {
  task: TeacherTaskContext;
  gate: CallGate;
  /** Directory of the task file; relative paths in `teacher.model` (dataset:) resolve against it. */
  taskDir?: string;
  /** Run seed, for teachers that draw randomness (the dataset teacher's noise). */
  seed?: number;
  /** Receives retries, rejected answers and provider warnings; the gate's own events go to its emitter. */
  emitter?: Emitter;
  /** Where API keys are read from; `process.env` by default. */
  env?: NodeJS.ProcessEnv;
  /** The run's stop signal (Ctrl-C): a teacher that sends requests abandons those in flight. */
  signal?: AbortSignal;
}

export type TeacherFactory = (settings: TeacherSettings, ctx: TeacherContext) => Teacher | Promise<Teacher>;

const llm: TeacherFactory = (settings, ctx) =>
  new LlmTeacher({ settings, task: ctx.task, gate: ctx.gate, emitter: ctx.emitter, env: ctx.env, signal: ctx.signal });

// Resolved at run time, not by the type checker: the dataset teacher is a separate module that
// only `dataset:` runs need.
const DATASET_MODULE = './dataset-teacher.js';

const dataset: TeacherFactory = async (settings, ctx) => {
  const mod = (await import(DATASET_MODULE)) as { createDatasetTeacher: TeacherFactory };
  return mod.createDatasetTeacher(settings, ctx);
};

/** Provider name → implementation. Adding a teacher kind is adding a row. */
const TEACHERS: Readonly<Record<string, TeacherFactory>> = {
  dataset,
  ...Object.fromEntries(knownProviders().map((name) => [name, llm])),
};

export function teacherProviders(): string[] {
  return Object.keys(TEACHERS);
}

/** Builds the teacher named by `settings.model` (`provider:model`). Misconfiguration is a ConfigError, before any request. */
export async function createTeacher(settings: TeacherSettings, ctx: TeacherContext): Promise<Teacher> {
  const { provider } = parseModelRef(settings.model);
  const factory = Object.hasOwn(TEACHERS, provider) ? TEACHERS[provider] : undefined;
  if (!factory) {
    throw new ConfigError(`unknown teacher provider "${provider}"`, {
      field: 'teacher.model',
      hint: `use one of: ${teacherProviders().join(', ')} (as provider:model)`,
    });
  }
  return factory(settings, ctx);
}
