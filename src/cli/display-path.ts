import path from 'node:path';

/** Relative when that is shorter to read (inside cwd), absolute when it would climb out with `../..`. */
export function displayPath(cwd: string, p: string): string {
  const rel = path.relative(cwd, p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}
