import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('..', import.meta.url));
const TEST_ONLY = /\.(test|fixture|contract)\.ts$/;
/** A static or dynamic import of the dataset teacher module, by path. */
const IMPORTS_DATASET = /(?:from\s*|import\s*\(\s*)['"][^'"]*\/dataset-teacher(?:\.js|\.ts)?['"]/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts') && !TEST_ONLY.test(e.name)
        ? [join(dir, e.name)]
        : [],
  );
}

describe('the dataset teacher loads lazily', () => {
  it('no library module imports it: the registry loads it when a dataset: teacher is created', () => {
    const importers = sources(SRC)
      .filter((f) => IMPORTS_DATASET.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f));
    // Code that needs to know a teacher asks it (Teacher.clusters, .concurrency, GenerateResult.answers).
    expect(importers).toEqual([]);
    expect(readFileSync(join(SRC, 'teacher/registry.ts'), 'utf8')).toMatch(/await import\(DATASET_MODULE\)/);
  });
});
