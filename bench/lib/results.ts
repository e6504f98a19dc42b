import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './datasets.js';
import { peerVersions } from './setup.js';
import { carriedFrom, carriedOrigins } from './carried.js';
import type { BenchResults, DatasetResult } from './types.js';

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
export function writeResults(
  fresh: BenchResults,
  log: (msg: string) => void = () => {},
): { files: string[]; results: BenchResults } {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const results = mergeWithLatest(fresh, log);
  const date = results.startedAt.slice(0, 10);
  const body = `${JSON.stringify(results, null, 2)}\n`;
  const files = [
    latestFile(results.mode),
    join(RESULTS_DIR, `${date}${results.mode === 'quick' ? '-quick' : ''}.json`),
  ];
  for (const f of files) writeFileSync(f, body);
  return { files, results };
}

/** Parts of a dataset's result that a run with --skip-loop or --skip-models leaves out and an earlier run may hold. */
const PARTS = [
  'student',
  'fasttext',
  'sklearn_svm',
  'sklearn_svm_char',
  'sklearn_lr',
  'loop',
  'noisy',
  'labelNoise',
  'skills',
] as const;

export function mergeWithLatest(fresh: BenchResults, log: (msg: string) => void = () => {}): BenchResults {
  let old: BenchResults | null = null;
  try {
    old = readLatest(fresh.mode);
  } catch {
    old = null;
  }
  return mergeResults(old, fresh, log);
}

/**
 * A full run takes hours on two cores, so it can be done a few datasets at a time: results of the
 * same mode merge by dataset, and every dataset entry carries the commit and command it was measured
 * with (the report shows them per row). The newer run wins. Parts a --skip-loop or --skip-models run
 * did not measure are kept from the earlier entry and listed in `carried` with that entry's commit
 * and command, which the report shows beside them; entries written before provenance was recorded
 * (no commit) are dropped, never mixed in.
 */
export function mergeResults(
  old: BenchResults | null,
  fresh: BenchResults,
  log: (msg: string) => void = () => {},
): BenchResults {
  const thisRun = runOf(fresh);
  if (!old) return { ...fresh, runs: [thisRun] };
  const byName = new Map<string, DatasetResult>();
  for (const d of old.datasets) {
    if (typeof d.commit === 'string' && d.commit) byName.set(d.dataset, d);
    else log(`dropping ${d.dataset} from the merged results: measured before commits were recorded`);
  }
  for (const d of fresh.datasets) {
    const prev = byName.get(d.dataset);
    const merged: DatasetResult = { ...d };
    if (prev) {
      const carried: string[] = [];
      const from = prev as unknown as Record<string, unknown>;
      for (const part of PARTS) {
        if ((merged[part] === null || merged[part] === undefined) && from[part]) {
          (merged as unknown as Record<string, unknown>)[part] = from[part];
          carried.push(part);
        }
      }
      // Ratios belong to the models they compare: carried with them.
      if (carried.includes('student')) merged.ratios = prev.ratios;
      if (carried.length) {
        merged.skipped = d.skipped.filter(
          (s) =>
            !(s.startsWith('loop') && carried.includes('loop')) &&
            !(s.startsWith('models') && carried.includes('student')),
        );
        merged.carried = carriedFrom(prev, carried);
      } else delete merged.carried;
    }
    byName.set(d.dataset, merged);
  }
  const kept = new Set(
    [...byName.values()].flatMap((d) => [d.startedAt, ...carriedOrigins(d).map((o) => o.startedAt)]),
  );
  // A checkpoint of this same run (same start) is replaced, not listed twice.
  const runs = [...(old.runs ?? []).filter((r) => r.startedAt !== thisRun.startedAt), thisRun].filter(
    (r) => r.datasets.length > 0 && kept.has(r.startedAt),
  );
  return { ...fresh, startedAt: runs[0]?.startedAt ?? fresh.startedAt, datasets: [...byName.values()], runs };
}

/** One run's entry in `runs`. */
function runOf(r: BenchResults): NonNullable<BenchResults['runs']>[number] {
  return {
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    datasets: r.datasets.map((d) => d.dataset),
    machine: r.machine,
    commit: r.commit,
    command: r.command,
  };
}

export function readLatest(mode: BenchResults['mode'] = 'full'): BenchResults {
  return JSON.parse(readFileSync(latestFile(mode), 'utf8')) as BenchResults;
}
