import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** The loop should read like its description: each phase a function short enough to read at once. */
const MAX_LINES = 80;
const LOOP_DIR = dirname(fileURLToPath(import.meta.url));

/** Every function in a source text (declarations, methods, arrows, expressions) with its length in lines. */
function functionLengths(file: string, text: string): { name: string; lines: number }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: { name: string; lines: number }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const name = node.name && ts.isIdentifier(node.name) ? node.name.text : '(anonymous)';
      out.push({ name: `${file}:${first + 1} ${name}`, lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

describe('function length in src/loop', () => {
  it(`measures a function by its lines (fails on a long one)`, () => {
    const long = `function f() {\n${'  x();\n'.repeat(MAX_LINES)}}\n`;
    expect(functionLengths('f.ts', long)).toEqual([{ name: 'f.ts:1 f', lines: MAX_LINES + 2 }]);
    const nested = 'class C {\n  m() {\n    return [1].map((x) => {\n      return x;\n    });\n  }\n}\n';
    expect(functionLengths('c.ts', nested).map((f) => f.lines)).toEqual([5, 3]);
  });

  it(`has no function longer than ${MAX_LINES} lines`, () => {
    const files = readdirSync(LOOP_DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(files.length).toBeGreaterThan(10);
    const tooLong = files
      .flatMap((f) => functionLengths(f, readFileSync(join(LOOP_DIR, f), 'utf8')))
      .filter((f) => f.lines > MAX_LINES);
    expect(tooLong).toEqual([]);
  });
});
