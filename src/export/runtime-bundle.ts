import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The file name of the one-module runtime, in dist/ and in every `export runtime` folder. */
export const RUNTIME_FILE = 'apprentice-runtime.js';
/** The extraction runtime: its own module, so the classification one stays as small as it was. */
export const RUNTIME_EXTRACT_FILE = 'apprentice-runtime-extract.js';

export type RuntimeEntry = 'classify' | 'extract';

const ENTRIES: Record<RuntimeEntry, { source: string; file: string; banner: string }> = {
  classify: {
    source: '../runtime/index.ts',
    file: RUNTIME_FILE,
    banner:
      '// Apprentice runtime: loadStudent(bytes | URL) → { labels, predict(text) }. Self-contained: no dependencies, no Node APIs.',
  },
  extract: {
    source: '../runtime/extract.ts',
    file: RUNTIME_EXTRACT_FILE,
    banner:
      '// Apprentice extraction runtime: loadExtractor(bytes | URL) → { types, extract(text) → { spans, confidence } }. Self-contained: no dependencies, no Node APIs.',
  },
};

/**
 * The runtime as one ES module (src/runtime/ plus the featurizer files it shares with the library).
 * Built JS (an installed package) reads the bundle that `npm run build` put in dist/runtime/; the
 * TypeScript sources (a checkout) bundle afresh with esbuild, a dev dependency, so an edited
 * runtime can never be exported stale.
 */
export async function runtimeBundle(options: { minify?: boolean; entry?: RuntimeEntry } = {}): Promise<string> {
  const { file } = ENTRIES[options.entry ?? 'classify'];
  if (!import.meta.url.endsWith('.ts') && !options.minify) {
    // dist/src/export/runtime-bundle.js → dist/runtime/apprentice-runtime.js
    const built = fileURLToPath(new URL(`../../runtime/${file}`, import.meta.url));
    if (existsSync(built)) return readFileSync(built, 'utf8');
  }
  return bundleRuntimeSources(options);
}

export async function bundleRuntimeSources(options: { minify?: boolean; entry?: RuntimeEntry } = {}): Promise<string> {
  const { source, banner } = ENTRIES[options.entry ?? 'classify'];
  const entry = fileURLToPath(new URL(source, import.meta.url));
  if (!existsSync(entry))
    throw new Error(`the runtime bundle is missing and there are no sources to build it from (${entry})`);
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2020',
    minify: options.minify ?? false,
    legalComments: 'none',
    write: false,
    banner: { js: banner },
  });
  return result.outputFiles[0].text;
}
