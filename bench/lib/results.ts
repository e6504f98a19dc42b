import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './datasets.js';
import { peerVersions } from './setup.js';
import type { BenchResults } from './types.js';

export const RESULTS_DIR = join(REPO_ROOT, 'bench', 'results');

export function machineInfo(): BenchResults['machine'] {
  const c = cpus();
  return {
    cpu: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    memoryGB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${type()} ${release()}`,
    // Other work on the machine skews timings; the load when the run started says how much.
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export function versions(): BenchResults['versions'] {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  return { ...peerVersions(), apprentice: pkg.version };
}

/** latest.json plus a dated copy; quick runs get their own dated name so they never replace a full run's. */
export function writeResults(results: BenchResults): string[] {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const date = results.startedAt.slice(0, 10);
  const body = JSON.stringify(results, null, 2) + '\n';
  const files = [join(RESULTS_DIR, 'latest.json'), join(RESULTS_DIR, `${date}${results.mode === 'quick' ? '-quick' : ''}.json`)];
  for (const f of files) writeFileSync(f, body);
  return files;
}

export function readLatest(): BenchResults {
  return JSON.parse(readFileSync(join(RESULTS_DIR, 'latest.json'), 'utf8')) as BenchResults;
}
