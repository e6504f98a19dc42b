/**
 * `npm run build` (and `npm pack`, through prepack): dist/ for the published package.
 *   dist/src/…, dist/test/fake-llm/…   JS + .d.ts from tsc (tsconfig.build.json)
 *   dist/runtime/apprentice-runtime.js the one-module runtime (esbuild), what `apprentice/runtime` imports
 * A checkout never needs this: the bin and the tests run the TypeScript sources.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleRuntimeSources, RUNTIME_FILE } from '../src/export/runtime-bundle.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
mkdirSync(path.join(dist, 'runtime'), { recursive: true });
writeFileSync(path.join(dist, 'runtime', RUNTIME_FILE), await bundleRuntimeSources());
console.log(`built ${path.relative(root, dist)}/ (library, .d.ts, runtime/${RUNTIME_FILE})`);
