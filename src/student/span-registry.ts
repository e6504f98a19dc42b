import { readFileSync } from 'node:fs';
import { ConfigError, ModelFileError } from '../errors.js';
import { decodeModelFile } from './model-file.js';
import { sequencePerceptronKind } from './sequence/index.js';
import type { SpanStudent, SpanStudentKind, SpanTrainingRow, SpanTrainOptions } from './sequence/types.js';

/**
 * Extraction student kinds by name, beside the classification registry (registry.ts): an
 * extraction task's `student.kind` names one of these. Both save into the APSM container with the
 * kind in the header, so `studentFamilyOf` tells which registry reads a model file.
 */
const kinds = new Map<string, SpanStudentKind<any>>();

export const DEFAULT_SPAN_STUDENT_KIND = sequencePerceptronKind.name;

export function registerSpanStudentKind<P>(kind: SpanStudentKind<P>, options: { replace?: boolean } = {}): void {
  if (kinds.has(kind.name) && !options.replace)
    throw new ConfigError(`extraction student kind "${kind.name}" is already registered`);
  kinds.set(kind.name, kind);
}

export function listSpanStudentKinds(): { name: string; description: string }[] {
  return [...kinds.values()].map((k) => ({ name: k.name, description: k.description }));
}

export function getSpanStudentKind(name: string): SpanStudentKind<unknown> {
  const kind = kinds.get(name);
  if (!kind)
    throw new ConfigError(
      `"${name}" is not an extraction student kind; known extraction kinds: ${[...kinds.keys()].join(', ')}`,
      {
        field: 'student.kind',
        hint: `for a kind: extract task set student.kind to one of: ${[...kinds.keys()].join(', ')}`,
      },
    );
  return kind;
}

/** Validates params against the kind's schema (errors name the field), then trains. */
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

/** Whether a saved model is an extraction student (a kind registered here). */
export function isSpanStudentModel(bytes: Uint8Array): boolean {
  try {
    return kinds.has(decodeModelFile(bytes, '<bytes>').header.kind);
  } catch {
    return false;
  }
}

/** Reads an extraction model from bytes or a file; the header names the kind. */
export function loadSpanStudent(source: Uint8Array | string): SpanStudent {
  const file = typeof source === 'string' ? source : '<bytes>';
  let bytes: Uint8Array;
  try {
    bytes = typeof source === 'string' ? readFileSync(source) : source;
  } catch (cause) {
    throw new ModelFileError(file, `cannot read model file: ${(cause as Error).message}`, {
      cause,
      hint: 'check the path, or train a model first',
    });
  }
  const { header } = decodeModelFile(bytes, file);
  const kind = kinds.get(header.kind);
  if (!kind)
    throw new ModelFileError(
      file,
      `model is of kind "${header.kind}", not an extraction student kind (${[...kinds.keys()].join(', ')})`,
    );
  return kind.fromBytes(bytes);
}

registerSpanStudentKind(sequencePerceptronKind);
