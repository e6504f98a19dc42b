import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('package entry', () => {
  it('package.json "exports" points each subpath\'s source condition at a file that exists', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    for (const sub of ['.', './runtime', './testing'])
      expect(existsSync(join(root, pkg.exports[sub]['@apprentice/source'])), sub).toBe(true);
  });

  it('import from "apprentice" gives the public API', async () => {
    const api = await import('apprentice');
    for (const name of [
      'distill',
      'distillTask',
      'loadSpanStudent',
      'loadTask',
      'taskFromObject',
      'loadStudent',
      'trainStudent',
      'MemoryStore',
      'SqliteStore',
      'openStore',
      'Emitter',
      'ConfigError',
      'isApprenticeError',
    ]) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('the subpaths resolve: apprentice/runtime and apprentice/testing', async () => {
    const runtime = await import('apprentice/runtime');
    expect(typeof runtime.loadStudent).toBe('function');
    const testing = await import('apprentice/testing');
    for (const name of ['runTeacherContract', 'runStudentContract', 'runStoreContract', 'startFakeLlm'])
      expect(typeof (testing as Record<string, unknown>)[name], name).toBe('function');
  });
});
