import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * A worker thread running the module `name` beside the caller (`callerUrl`: its import.meta.url).
 * From the built package (dist/, JS) that is `name.js`, started directly. From a checkout's
 * TypeScript sources it is `name.ts`, and a new thread does not inherit the loader the main thread
 * registered, so the thread registers tsx itself before importing it.
 */
export function startWorker(callerUrl: string, name: string, workerData: unknown): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), { workerData });
  const module = new URL(`./${name}.ts`, callerUrl).href;
  const boot = `import(${JSON.stringify(tsxApi())}).then((m) => { m.register(); return import(${JSON.stringify(module)}); });`;
  return new Worker(boot, { eval: true, workerData });
}

/**
 * tsx's ESM API (its package exports map `import` there), resolved from here: the thread's eval
 * code would otherwise resolve it from the current directory. Only sources need it.
 */
function tsxApi(): string {
  const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
  return pathToFileURL(join(dirname(pkg), 'dist/esm/api/index.mjs')).href;
}
