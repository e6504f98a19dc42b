import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export type Assets = Record<string, { type: string; body: string }>;

const WEB_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'web');
/** Where a package build leaves the bundle (see docs/studio.md); a checkout has none and builds on start. */
const PREBUILT = join(WEB_DIR, 'dist');

/**
 * The front end: a prebuilt bundle when the package ships one, else built now from src/studio/web
 * with esbuild (a devDependency, present in any checkout; well under a second).
 */
export async function loadAssets(): Promise<Assets> {
  const html = readFileSync(join(WEB_DIR, 'index.html'), 'utf8');
  const css = readFileSync(join(WEB_DIR, 'studio.css'), 'utf8');
  let js: string;
  if (existsSync(join(PREBUILT, 'app.js'))) js = readFileSync(join(PREBUILT, 'app.js'), 'utf8');
  else js = await bundle();
  return {
    'index.html': { type: 'text/html; charset=utf-8', body: html },
    'app.js': { type: 'text/javascript; charset=utf-8', body: js },
    'studio.css': { type: 'text/css; charset=utf-8', body: css },
  };
}

/** Bundles src/studio/web/main.ts for the browser; `outfile` writes it (package build), else returns it. */
export async function bundle(outfile?: string): Promise<string> {
  const esbuild = await import('esbuild').catch(() => {
    throw new Error(
      'the studio front end is not built and esbuild is not installed: run `npm install` in the checkout',
    );
  });
  const result = await esbuild.build({
    entryPoints: [join(WEB_DIR, 'main.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    minify: outfile !== undefined,
    write: outfile !== undefined,
    ...(outfile ? { outfile } : {}),
    logLevel: 'silent',
  });
  return outfile ? readFileSync(outfile, 'utf8') : result.outputFiles![0].text;
}
