/**
 * Writes the studio's front-end bundle to src/studio/web/dist/app.js (`npm run build:studio`), for
 * a package that should not need esbuild at run time. A checkout without it bundles on start.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from './server/assets.js';

const out = join(fileURLToPath(new URL('.', import.meta.url)), 'web', 'dist', 'app.js');
const js = await bundle(out);
process.stdout.write(`${out} (${js.length} bytes)\n`);
