/**
 * `npm run bench`: the student against fastText and scikit-learn on public datasets, then the
 * loop's answer efficiency, label-noise detection and skill targeting. Not part of `npm test`: it installs peers with apt and runs for a long
 * time. Progress goes to stderr; results to bench/results/, docs/benchmarks.md and report.html
 * (a --quick run's to bench/results/quick-*, so they never replace a full run's).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { compareModels } from './compare.js';
import { runDataBenches } from './data-runs.js';
import { parseArgs, USAGE } from './lib/args.js';
import { trainStudent } from '../src/student/registry.js';
import { type Dataset, DATASETS_DIR, loadDataset } from './lib/datasets.js';
import { benchCore } from './lib/proc.js';
import { commandLine, gitCommit } from './lib/provenance.js';
import { latestFile, machineInfo, readLatest, versions, writeResults } from './lib/results.js';
import { ensurePeers, findPython } from './lib/setup.js';
import type { BenchResults, DatasetResult } from './lib/types.js';
import { STUDENT_SEED } from './peers/student.js';
import { writeReports } from './report/index.js';

const log = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

async function main(): Promise<void> {
  // `npm run bench -- --serve`: the serving load test (apprentice serve against FastAPI + uvicorn), the
  // same as `npm run bench:serve`; it has its own flags and results (bench/serve/).
  if (process.argv.includes('--serve')) {
    const rest = process.argv.slice(2).filter((a) => a !== '--serve');
    const serve = fileURLToPath(new URL('./serve/run.ts', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', 'tsx', serve, ...rest], { stdio: 'inherit' });
    process.exitCode = r.status ?? 1;
    return;
  }
  // `npm run bench -- --studio`: the studio data browser over 100,000 generated rows (bench/studio/),
  // the same as `npm run bench:studio`.
  if (process.argv.includes('--studio')) {
    const rest = process.argv.slice(2).filter((a) => a !== '--studio');
    const studio = fileURLToPath(new URL('./studio/data-browser.ts', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', 'tsx', studio, ...rest], { stdio: 'inherit' });
    process.exitCode = r.status ?? 1;
    return;
  }
  // `npm run bench -- --extract-loop`: the extraction loop's answer efficiency on WNUT-17 or a
  // product_ave set (bench/extract/loop.ts); it has its own flags and results file.
  if (process.argv.includes('--extract-loop')) {
    const rest = process.argv.slice(2).filter((a) => a !== '--extract-loop');
    const script = fileURLToPath(new URL('./extract/loop.ts', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...rest], { stdio: 'inherit' });
    process.exitCode = r.status ?? 1;
    return;
  }
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (args.reportOnly) {
    const mode = args.quick ? 'quick' : 'full';
    const written = writeReports(readLatest(mode));
    log(`${written.join(' and ')} rebuilt from ${latestFile(mode)}`);
    return;
  }
  ensurePeers(log);
  const python = findPython();
  if (python) log(`scikit-learn peers run on ${python}`);
  else
    log(
      '!!! NO PYTHON WITH SCIKIT-LEARN FOUND (tried BENCH_PYTHON, /usr/bin/python3, python3): the scikit-learn peers will fail and be listed as skipped !!!',
    );
  const startedAt = new Date().toISOString();
  const commit = gitCommit();
  const command = commandLine(process.argv.slice(2));
  log(`commit ${commit}; ${command}; measured processes pinned to core ${benchCore()}; datasets from ${DATASETS_DIR}`);
  const machine = machineInfo();
  const seeds = Array.from({ length: args.seeds }, (_, i) => i + 1);
  const loopModule = args.skipLoop ? null : await loadLoopModule();
  const datasets: DatasetResult[] = [];
  const resultsOf = (list: DatasetResult[]): BenchResults => ({
    mode: args.quick ? 'quick' : 'full',
    commit,
    command,
    startedAt,
    finishedAt: new Date().toISOString(),
    machine,
    versions: versions(),
    datasets: list,
  });
  /**
   * A full dataset takes an hour or more on a shared machine: after each phase the results so far are
   * written (marked \`inProgress\`), so a run cut short leaves what it measured, saying what it did not.
   */
  const checkpoint = (current: DatasetResult, pending: string) => {
    current.inProgress = pending;
    try {
      const { results: merged } = writeResults(resultsOf([...datasets, current]), log);
      writeReports(merged);
      log(`  checkpoint written (${pending})`);
    } catch (e) {
      log(`  checkpoint failed: ${(e as Error).message}`);
    } finally {
      delete current.inProgress;
    }
  };

  for (const name of args.datasets) {
    const ds = loadDataset(name, args.quick);
    log(
      `${name}: ${ds.train.length} train / ${ds.test.length} test, ${ds.labels.length} labels${args.quick ? ' (quick sample)' : ''}`,
    );
    // The run's start, not the dataset's: merging matches entries to runs by it.
    const { result } = await compareModels(ds, args.quick, log, { commit, command, startedAt }, args.skipModels);
    // The loop's students train with the library defaults, so 95% is measured against that student on
    // all of train (not the validation-tuned one in the model table).
    const studentPredictions = args.skipLoop || args.onlyNoise ? null : fullDataPredictions(ds);
    if (!args.skipLoop && !args.skipModels)
      checkpoint(result, 'models measured; loop, noisy teacher, label noise and skill targeting not run yet');
    if (loopModule === null) result.skipped.push('loop: --skip-loop');
    else if (typeof loopModule === 'string') result.skipped.push(`loop: ${loopModule}`);
    else if (args.onlySkills)
      result.skipped.push('loop: --only-skills (loop efficiency, noisy teacher and label noise not run)');
    else {
      if (args.onlyNoise) result.skipped.push('loop: --only-noise (loop efficiency not run)');
      else if (!studentPredictions) result.skipped.push('loop: no full-data student predictions');
      else {
        try {
          result.loop = await loopModule.runLoopEfficiency(ds, { quick: args.quick, seeds, studentPredictions, log });
        } catch (e) {
          result.skipped.push(`loop failed: ${(e as Error).message.split('\n')[0]}`);
          log(`  loop FAILED: ${(e as Error).stack ?? e}`);
        }
        // The noisy teacher's run is as long again: a run cut short during it keeps the loop's figures.
        checkpoint(result, 'loop efficiency measured; noisy teacher, label noise and skill targeting not run yet');
      }
      try {
        result.noisy = await loopModule.runNoisyTeacher(ds, { quick: args.quick, seeds, log });
      } catch (e) {
        result.skipped.push(`noisy teacher failed: ${(e as Error).message.split('\n')[0]}`);
        log(`  noisy teacher FAILED: ${(e as Error).stack ?? e}`);
      }
    }
    if (!args.skipLoop) {
      checkpoint(result, 'loop and noisy teacher measured; label noise and skill targeting not run yet');
      await runDataBenches(ds, result, {
        quick: args.quick,
        labelNoise: !args.onlySkills,
        skills: (args.skills || args.onlySkills || !args.quick) && !args.noSkills && !args.onlyNoise,
        seeds,
        studentPredictions,
        log,
      });
    }
    datasets.push(result);
  }

  const results = resultsOf(datasets);
  // The docs describe latest.json, which may hold earlier runs' datasets too.
  const { files, results: merged } = writeResults(results, log);
  const reports = writeReports(merged);
  log(`wrote ${[...files, ...reports].join(', ')}`);
}

/** The loop lands separately from the harness; until it does, everything else still runs. */
async function loadLoopModule(): Promise<typeof import('./loop-efficiency.js') | string> {
  try {
    return await import('./loop-efficiency.js');
  } catch (e) {
    const msg = `loop not available yet (${(e as Error).message.split('\n')[0]})`;
    log(msg);
    return msg;
  }
}

function fullDataPredictions(ds: Dataset): string[][] {
  const student = trainStudent(
    'hashed-linear',
    ds.train,
    { labels: ds.labels, multiLabel: ds.multiLabel, seed: STUDENT_SEED },
    {},
  );
  return student.predictBatch(ds.test.map((r) => r.text)).map((p) => p.labels);
}

main().catch((e: unknown) => {
  log(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exitCode = 1;
});
