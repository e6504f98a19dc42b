#!/usr/bin/env node
// In a checkout (src/ present and tsx installed as a dev dependency) the CLI runs the TypeScript
// sources, so there is no build step to forget and no stale output to run by mistake. An installed
// package has no src/ and no tsx: it runs the JS that `npm pack` built into dist/.
// APPRENTICE_BIN=dist forces the built JS in a checkout (after `npm run build`).
import { existsSync } from 'node:fs';

// `apprentice … | head` closes stdout early: the reader's choice, not a crash. Set before anything
// else can pipe into stdout (a pipe's own error handler re-emits when stdout has no listener yet).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

const sources = new URL('../src/cli/main.ts', import.meta.url);
let main;
if (process.env.APPRENTICE_BIN !== 'dist' && existsSync(sources)) {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    // Sources without tsx: a checkout installed with --omit=dev. Fall through to dist/.
  }
  if (register) {
    register();
    ({ main } = await import(sources.href));
  }
}
if (!main) {
  const built = new URL('../dist/src/cli/main.js', import.meta.url);
  if (!existsSync(built)) {
    process.stderr.write(
      'error: apprentice is not built (no dist/) and cannot run its sources (no tsx)\n  hint: run `npm install` (dev dependencies) or `npm run build`\n',
    );
    process.exit(1);
  }
  ({ main } = await import(built.href));
}
process.exitCode = await main(process.argv.slice(2));
