import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError, ModelFileError } from '../errors.js';
import { hashedLinearKind } from './hashed-linear/index.js';
import { decodeModelFile } from './model-file.js';
import type { Student, StudentKind, TrainingRow, TrainOptions } from './types.js';

/**
 * Student kinds by name (the way transformers.js maps task names to pipelines). The task file names
 * a kind; training, loading and saving all go through here, so a new kind is one
 * `registerStudentKind` call away.
 */
// Kinds differ in their parameter types; the registry only hands params through the kind's own schema.
const kinds = new Map<string, StudentKind<any>>();

export const DEFAULT_STUDENT_KIND = hashedLinearKind.name;

/** Adds a kind. A second kind under a taken name is refused unless `replace` (tests swap in fakes). */
export function registerStudentKind<P>(kind: StudentKind<P>, options: { replace?: boolean } = {}): void {
  if (kinds.has(kind.name) && !options.replace)
    throw new ConfigError(`student kind "${kind.name}" is already registered`);
  kinds.set(kind.name, kind);
}

export function getStudentKind(name: string): StudentKind<unknown> {
  const kind = kinds.get(name);
  if (!kind) {
    throw new ConfigError(`unknown student kind "${name}"; known kinds: ${[...kinds.keys()].join(', ')}`, {
      field: 'student.kind',
      hint: `set student.kind to one of: ${[...kinds.keys()].join(', ')}`,
    });
  }
  return kind;
}

export function listStudentKinds(): { name: string; description: string }[] {
  return [...kinds.values()].map((k) => ({ name: k.name, description: k.description }));
}

/** Validates `rawParams` against the kind's schema (errors name the field), then trains. */
export function trainStudent(
  kindName: string,
  rows: readonly TrainingRow[],
  options: TrainOptions,
  rawParams: unknown = {},
): Student {
  const kind = getStudentKind(kindName);
  const parsed = kind.params.safeParse(rawParams ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.map(String).join('.');
    const field = path ? `student.params.${path}` : 'student.params';
    throw new ConfigError(`${field}: ${issue.message}`, { field, hint: `see the "${kind.name}" student's parameters` });
  }
  return kind.train(rows, options, parsed.data);
}

/** Reads a model saved by any registered kind, from bytes or a file path; the header names the kind. */
export function loadStudent(source: Uint8Array | string): Student {
  const file = typeof source === 'string' ? source : '<bytes>';
  let bytes: Uint8Array;
  if (typeof source === 'string') {
    try {
      bytes = readFileSync(source);
    } catch (cause) {
      throw new ModelFileError(file, `cannot read model file: ${(cause as Error).message}`, {
        cause,
        hint: 'check the path, or train a model first',
      });
    }
  } else bytes = source;
  const { header } = decodeModelFile(bytes, file);
  const kind = kinds.get(header.kind);
  if (!kind)
    throw new ModelFileError(
      file,
      `model is of unknown student kind "${header.kind}"; known kinds: ${[...kinds.keys()].join(', ')}`,
    );
  try {
    return kind.fromBytes(bytes);
  } catch (e) {
    // Kinds decode bytes without knowing the path; put it back into the error.
    if (e instanceof ModelFileError && file !== e.file)
      throw new ModelFileError(file, e.message, { cause: e, hint: e.hint });
    throw e;
  }
}

/** Writes the model atomically (temp file, then rename), so a crash never leaves half a model. Returns the byte count. */
export function saveStudent(student: Student, path: string): number {
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

registerStudentKind(hashedLinearKind);
