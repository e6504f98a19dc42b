/**
 * The layer map, enforced. Every non-test file under src/ may import only modules in layers below its own
 * (docs/architecture.md explains the map and why). A module not in the map fails too, so a new folder is
 * placed on purpose rather than by accident.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));

/**
 * Bottom to top. A module (a folder under src/, or a file directly in it, named without extension) may
 * import modules of strictly lower layers; modules of the same layer may not import each other.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['util', 'core'],
  ['errors', 'events'],
  ['read'],
  ['task', 'store', 'text'],
  ['teacher', 'student'],
  ['metrics', 'server'],
  ['data'],
  ['loop'],
  ['report'],
  ['run'],
  ['studio', 'export'],
  ['cli', 'index'],
];

/** Modules outside the layers that import nothing from src/ (they are copied or shipped on their own). */
const LEAVES: readonly string[] = ['runtime'];

/**
 * Tests, fixtures and contracts may import any placed module (a test may build a whole run to check one part)
 * and the shared test support in test/; they still may not import a module that is not in the map.
 */
const TEST_FILE = /\.(test|fixture|contract)\.ts$/;

interface ImportRef {
  specifier: string;
  line: number;
}

/** Every module specifier in `source`: static and type-only imports, re-exports, import() calls and import('x').T types. */
function importsOf(source: string, fileName = 'file.ts'): ImportRef[] {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: ImportRef[] = [];
  const add = (node: ts.Node, spec: ts.Node | undefined) => {
    if (spec && ts.isStringLiteralLike(spec)) {
      out.push({ specifier: spec.text, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 });
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node, node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node, node.arguments[0]);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node, node.argument.literal);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** The module a path under src/ belongs to: its first folder, or the file name for a file directly in src/. */
function moduleOf(pathUnderSrc: string): string {
  const first = pathUnderSrc.split(/[\\/]/)[0];
  return first.replace(/(\.(test|fixture|contract))?\.(ts|js|mjs|cjs|json)$/, '');
}

function layerOf(module: string): number | undefined {
  const i = LAYERS.findIndex((layer) => layer.includes(module));
  return i < 0 ? undefined : i;
}

function allowedFor(module: string): string {
  const layer = layerOf(module);
  if (layer === undefined) return 'nothing';
  const below = LAYERS.slice(0, layer).flat();
  return below.length > 0 ? below.join(', ') : 'nothing outside itself';
}

/** One broken rule per returned line: file, import and the rule it breaks. Empty when the file keeps the map. */
function checkFile(pathUnderSrc: string, source: string): string[] {
  const from = moduleOf(pathUnderSrc);
  const isTest = TEST_FILE.test(pathUnderSrc);
  const problems: string[] = [];
  const where = `src/${pathUnderSrc.split(sep).join('/')}`;
  // A test directly in src/ (like this one) tests the whole tree rather than one module.
  const wholeTreeTest = isTest && !pathUnderSrc.includes(sep) && !pathUnderSrc.includes('/');
  if (!wholeTreeTest && !LEAVES.includes(from) && layerOf(from) === undefined) {
    return [
      `${where}: module '${from}' is not in the layer map; place it in src/architecture.test.ts and docs/architecture.md`,
    ];
  }
  for (const { specifier, line } of importsOf(source, pathUnderSrc)) {
    if (!specifier.startsWith('.')) continue; // packages and node: builtins are not layers
    const target = relative(SRC, resolve(SRC, dirname(pathUnderSrc), specifier));
    const at = `${where}:${line} imports '${specifier}'`;
    if (target.startsWith('..')) {
      if (isTest) continue; // the shared test support in test/ (fake LLM server, fixtures)
      problems.push(`${at}: reaches outside src/`);
      continue;
    }
    const to = moduleOf(target);
    if (to === from) continue;
    if (LEAVES.includes(from)) {
      problems.push(`${at}: '${from}' is a leaf and imports nothing from src/`);
      continue;
    }
    const toLayer = layerOf(to);
    if (toLayer === undefined) {
      // A leaf's tests live outside it (they compare it with the library it may not import).
      if (isTest && LEAVES.includes(to)) continue;
      problems.push(`${at}: module '${to}' is not in the layer map`);
      continue;
    }
    if (isTest) continue;
    const fromLayer = layerOf(from) as number;
    if (toLayer >= fromLayer) {
      const rule = toLayer === fromLayer ? 'is in the same layer as' : 'is above';
      problems.push(`${at}: '${to}' ${rule} '${from}' (${from} may import: ${allowedFor(from)})`);
    }
  }
  return problems;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|tsx|mts|cts)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

describe('layer map', () => {
  it('every file under src/ imports only from layers below its own', () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(100);
    const problems = files.flatMap((f) => checkFile(relative(SRC, f), readFileSync(f, 'utf8')));
    expect(problems).toEqual([]);
  });

  it('finds every kind of import, and no import in a comment or string', () => {
    const source = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      "export { c } from './c.js';",
      "export * from './d.js';",
      "const e = await import('./e.js');",
      "let f: import('./f.js').F;",
      "// import { g } from './g.js';",
      'const h = "import(\'./h.js\')";',
      "import './i.js';",
    ].join('\n');
    expect(importsOf(source).map((r) => r.specifier)).toEqual([
      './a.js',
      '../b.js',
      './c.js',
      './d.js',
      './e.js',
      './f.js',
      './i.js',
    ]);
  });

  it('names the file, the import and the rule when a layer imports upward or sideways', () => {
    expect(checkFile('data/filters/x.ts', "import { runLoop } from '../../loop/run-loop.js';")).toEqual([
      `src/data/filters/x.ts:1 imports '../../loop/run-loop.js': 'loop' is above 'data' (data may import: ${LAYERS.slice(0, 6).flat().join(', ')})`,
    ]);
    expect(checkFile('student/x.ts', "type T = import('../teacher/types.js').Teacher;")[0]).toMatch(
      /'teacher' is in the same layer as 'student'/,
    );
    expect(checkFile('loop/x.ts', "import { a } from './y.js';\nimport type { B } from '../data/b.js';")).toEqual([]);
  });

  it('fails a module that is not in the map, and a leaf that imports from src/', () => {
    expect(checkFile('newthing/x.ts', '')[0]).toMatch(/module 'newthing' is not in the layer map/);
    expect(checkFile('cli/x.ts', "import { a } from '../newthing/a.js';")[0]).toMatch(
      /'newthing' is not in the layer map/,
    );
    expect(checkFile('runtime/x.ts', "import { a } from '../util/hash.js';")[0]).toMatch(/leaf and imports nothing/);
  });

  it('lets tests import any placed module, but not an unplaced one', () => {
    expect(checkFile('util/x.test.ts', "import { runLoop } from '../loop/run-loop.js';")).toEqual([]);
    expect(checkFile('util/x.test.ts', "import { a } from '../nowhere/a.js';")).toHaveLength(1);
    expect(checkFile('export/x.test.ts', "import { a } from '../runtime/a.js';")).toEqual([]);
    expect(checkFile('export/x.ts', "import { a } from '../runtime/a.js';")).toHaveLength(1);
  });
});
