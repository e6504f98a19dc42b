import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError, ModelFileError } from '../errors.js';
import { decodeModelFile } from './model-file.js';
import { loadStudent } from './registry.js';
import { sequencePerceptronKind } from './sequence/index.js';
import type { SpanStudent, SpanStudentKind, SpanTrainingRow, SpanTrainOptions } from './sequence/types.js';
import type { Student } from './types.js';

/**
 * Extraction student kinds beside the classification registry (registry.ts), and one loader for
 * both: every kind saves into the APSM container with its kind in the header, so a model file says
 * what it is and `loadModel` dispatches on that before any kind-specific decoding. A classification
 * model loads exactly as `loadStudent` loads it.
 */
// Kinds differ in their parameter types; params only pass through the kind's own schema.
const spanKinds = new Map<string, SpanStudentKind<any>>([[sequencePerceptronKind.name, sequencePerceptronKind]]);

export const DEFAULT_SPAN_STUDENT_KIND = sequencePerceptronKind.name;

export type LoadedModel = { task: 'classify'; student: Student } | { task: 'extract'; student: SpanStudent };

export function isSpanStudentKind(name: string): boolean {
  return spanKinds.has(name);
}

export function getSpanStudentKind(name: string): SpanStudentKind<unknown> {
  const kind = spanKinds.get(name);
  if (!kind)
    throw new ConfigError(
      `unknown extraction student kind "${name}"; known kinds: ${[...spanKinds.keys()].join(', ')}`,
      {
        field: 'student.kind',
        hint: `use one of: ${[...spanKinds.keys()].join(', ')}`,
      },
    );
  return kind;
}

/** Validates `rawParams` against the kind's schema (errors name the field), then trains. */
export function trainSpanStudent(
  kindName: string,
  rows: readonly SpanTrainingRow[],
  options: SpanTrainOptions,
  rawParams: unknown = {},
): SpanStudent {
  const kind = getSpanStudentKind(kindName);
  const parsed = kind.params.safeParse(rawParams ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.map(String).join('.');
    const field = path ? `student.params.${path}` : 'student.params';
    throw new ConfigError(`${field}: ${issue.message}`, { field, hint: `see the "${kind.name}" student's parameters` });
  }
  return kind.train(rows, options, parsed.data);
}

function readBytes(source: Uint8Array | string): Uint8Array {
  if (typeof source !== 'string') return source;
  try {
    return readFileSync(source);
  } catch (cause) {
    throw new ModelFileError(source, `cannot read model file: ${(cause as Error).message}`, {
      cause,
      hint: 'check the path, or train a model first',
    });
  }
}

/** Any model file, classification or extraction, from bytes or a path; the header names the kind. */
export function loadModel(source: Uint8Array | string): LoadedModel {
  const file = typeof source === 'string' ? source : '<bytes>';
  const bytes = readBytes(source);
  const { header } = decodeModelFile(bytes, file);
  const kind = spanKinds.get(header.kind);
  try {
    return kind
      ? { task: 'extract', student: kind.fromBytes(bytes) }
      : { task: 'classify', student: loadStudent(bytes) };
  } catch (e) {
    // Kinds decode bytes without knowing the path; put it back into the error.
    if (e instanceof ModelFileError && file !== e.file)
      throw new ModelFileError(file, e.message, { cause: e, hint: e.hint });
    throw e;
  }
}

/** An extraction model, or a ModelFileError saying the file holds a classifier. */
export function loadSpanStudent(source: Uint8Array | string): SpanStudent {
  const model = loadModel(source);
  if (model.task !== 'extract')
    throw new ModelFileError(
      typeof source === 'string' ? source : '<bytes>',
      `this is a ${model.student.kind} classification model, not an extraction model`,
      { hint: 'train one on a CoNLL or entities/attributes JSONL file with `apprentice train`' },
    );
  return model.student;
}

/** Writes the model atomically (temp file, then rename), as saveStudent does. Returns the byte count. */
export function saveSpanStudent(student: SpanStudent, path: string): number {
  const bytes = student.toBytes();
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Date.now().toString(36)}`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return bytes.length;
}
