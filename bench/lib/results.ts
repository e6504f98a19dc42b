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

/** Merged results of a mode: a quick run's figures never replace a full run's. */
export function latestFile(mode: BenchResults['mode']): string {
  return join(RESULTS_DIR, mode === 'quick' ? 'quick-latest.json' : 'latest.json');
}

/**
 * The mode's merged file plus a dated copy. Returns the files and what they hold: this run merged
 * with the earlier runs of the same mode.
 */
export function writeResults(fresh: BenchResults): { files: string[]; results: BenchResults } {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const results = mergeWithLatest(fresh);
  const date = results.startedAt.slice(0, 10);
  const body = `${JSON.stringify(results, null, 2)}\n`;
  const files = [
    latestFile(results.mode),
    join(RESULTS_DIR, `${date}${results.mode === 'quick' ? '-quick' : ''}.json`),
  ];
  for (const f of files) writeFileSync(f, body);
  return { files, results };
}

/** Parts of a dataset's result that a run with --skip-loop leaves out and an earlier run may hold. */
const LOOP_PARTS = ['loop', 'noisy', 'labelNoise', 'skills'] as const;

/**
 * A full run takes hours on two cores, so it can be done a few datasets at a time: results of the
 * same mode merge into latest.json by dataset (the newer run wins; loop parts a --skip-loop run did
 * not measure are kept from the earlier one, and `runs` lists every run that contributed).
 */
export function mergeWithLatest(fresh: BenchResults): BenchResults {
  const thisRun = runOf(fresh);
  let old: BenchResults;
  try {
    old = readLatest(fresh.mode);
  } catch {
    return { ...fresh, runs: [thisRun] };
  }
  const byName = new Map(old.datasets.map((d) => [d.dataset, d]));
  for (const d of fresh.datasets) {
    const prev = byName.get(d.dataset);
    const merged = { ...d } as Record<string, unknown>;
    if (prev) {
      for (const part of LOOP_PARTS) {
        if (
          (merged[part] === null || merged[part] === undefined) &&
          (prev as unknown as Record<string, unknown>)[part]
        ) {
          merged[part] = (prev as unknown as Record<string, unknown>)[part];
          merged.skipped = (d.skipped ?? []).filter((s) => !s.startsWith('loop'));
        }
      }
    }
    byName.set(d.dataset, merged as unknown as typeof d);
  }
  const runs = [...(old.runs ?? [runOf(old)]), thisRun];
  return { ...fresh, startedAt: runs[0].startedAt, datasets: [...byName.values()], runs };
}

/** One run's entry in `runs`: a file written before runs were merged is one run itself. */
function runOf(r: BenchResults): NonNullable<BenchResults['runs']>[number] {
  return {
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    datasets: r.datasets.map((d) => d.dataset),
    machine: r.machine,
  };
}

export function readLatest(mode: BenchResults['mode'] = 'full'): BenchResults {
  return JSON.parse(readFileSync(latestFile(mode), 'utf8')) as BenchResults;
}
