/**
 * `npm run build` (and `npm pack`, through prepack): dist/ for the published package.
 *   dist/src/…, dist/test/fake-llm/…   JS + .d.ts from tsc (tsconfig.build.json)
 *   dist/runtime/apprentice-runtime.js the one-module runtime (esbuild), what `apprentice/runtime` imports
 *   dist/runtime/apprentice-runtime-extract.js  the extraction runtime, what `apprentice/runtime/extract` imports
 *   dist/src/studio/web/                the studio's page, styles and prebuilt bundle (esbuild)
 * A checkout never needs this: the bin and the tests run the TypeScript sources.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleRuntimeSources, RUNTIME_EXTRACT_FILE, RUNTIME_FILE } from '../src/export/runtime-bundle.ts';
import { bundle as bundleStudio } from '../src/studio/server/assets.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
mkdirSync(path.join(dist, 'runtime'), { recursive: true });
writeFileSync(path.join(dist, 'runtime', RUNTIME_FILE), await bundleRuntimeSources());
writeFileSync(path.join(dist, 'runtime', RUNTIME_EXTRACT_FILE), await bundleRuntimeSources({ entry: 'extract' }));
// The studio serves its page from beside its compiled server; the package has no esbuild to bundle on start.
const studioWeb = path.join(dist, 'src', 'studio', 'web');
mkdirSync(path.join(studioWeb, 'dist'), { recursive: true });
for (const f of ['index.html', 'studio.css'])
  copyFileSync(path.join(root, 'src', 'studio', 'web', f), path.join(studioWeb, f));
await bundleStudio(path.join(studioWeb, 'dist', 'app.js'));
console.log(
  `built ${path.relative(root, dist)}/ (library, .d.ts, runtime/${RUNTIME_FILE} and ${RUNTIME_EXTRACT_FILE}, studio front end)`,
);
