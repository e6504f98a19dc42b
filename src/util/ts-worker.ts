import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** tsx's ESM API (its package exports map `import` there), resolved from here: the thread's eval code would otherwise resolve it from the current directory. */
const TSX_API = pathToFileURL(
  join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs'),
).href;

/**
 * A worker thread running a TypeScript module. The sources run through tsx (no build step), and a
 * new thread does not inherit the loader the main thread registered, so the thread registers tsx
 * itself before importing the module. Under a runner that already handles .ts (tsx, vitest) the
 * register is harmless.
 */
export function startTsWorker(module: URL, workerData: unknown): Worker {
  const boot = `import(${JSON.stringify(TSX_API)}).then((m) => { m.register(); return import(${JSON.stringify(module.href)}); });`;
  return new Worker(boot, { eval: true, workerData });
}
