import type { z } from 'zod';

/**
 * Reading the task schema's shape, so error hints ("did you mean …?", "belongs under `teacher:`")
 * follow the schema as it changes instead of a hand-kept copy of its keys.
 */
type Def = {
  type: string;
  innerType?: Schema;
  in?: Schema;
  shape?: Record<string, Schema>;
  element?: Schema;
  options?: Schema[];
};
type Schema = { def: Def };

function unwrap(schema: Schema): Schema {
  let s = schema;
  for (;;) {
    const d = s.def;
    if (
      d.innerType &&
      ['default', 'optional', 'nullable', 'prefault', 'readonly', 'catch', 'nonoptional'].includes(d.type)
    )
      s = d.innerType;
    else if (d.type === 'pipe' && d.in) s = d.in;
    else return s;
  }
}

function objectOf(schema: Schema): Record<string, Schema> | undefined {
  const s = unwrap(schema);
  if (s.def.type === 'object') return s.def.shape;
  if (s.def.type === 'union') {
    for (const option of s.def.options ?? []) {
      const shape = objectOf(option);
      if (shape) return shape;
    }
  }
  return undefined;
}

/** The schema at a path into the task (array indices step into the element). */
function schemaAt(root: z.ZodType, path: readonly PropertyKey[]): Schema | undefined {
  let s: Schema | undefined = root as unknown as Schema;
  for (const seg of path) {
    if (!s) return undefined;
    const u = unwrap(s);
    if (u.def.type === 'array' && typeof seg === 'number') s = u.def.element;
    else s = objectOf(u)?.[String(seg)];
  }
  return s;
}

/** Keys allowed in the object at `path`; empty when the path does not lead to an object. */
export function knownKeysAt(root: z.ZodType, path: readonly PropertyKey[]): string[] {
  const s = schemaAt(root, path);
  const shape = s ? objectOf(s) : undefined;
  return shape ? Object.keys(shape) : [];
}

export interface KeyPlace {
  /** Dotted path of the object holding the key; '' = top level. */
  parent: string;
  /** The parent is a list whose items hold the key (`labels`, `seeds`). */
  inList: boolean;
}

/** Where in the task `key` is a valid key, looking two levels deep. */
export function placesOfKey(root: z.ZodType, key: string): KeyPlace[] {
  const places: KeyPlace[] = [];
  const visit = (schema: Schema, parent: string, inList: boolean, depth: number) => {
    const shape = objectOf(schema);
    if (!shape) return;
    if (key in shape) places.push({ parent, inList });
    if (depth === 0) return;
    for (const [k, child] of Object.entries(shape)) {
      const u = unwrap(child);
      const isList = u.def.type === 'array' && u.def.element !== undefined;
      visit(isList ? u.def.element! : child, parent ? `${parent}.${k}` : k, isList, depth - 1);
    }
  };
  visit(root as unknown as Schema, '', false, 2);
  return places;
}
