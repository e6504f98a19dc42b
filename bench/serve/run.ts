/**
 * `npm run bench:serve`: `apprentice serve` against the server a user would otherwise write
 * (FastAPI + uvicorn around scikit-learn's TF-IDF + LinearSVC), same data, same request shape, same
 * worker count, loaded with wrk on loopback in one run, alternating between the two so that a
 * busy spell on a shared machine hits both. Results to bench/serve/results/latest.json.
 *
 *   npm run bench:serve -- [--seconds 10] [--connections 16] [--workers <cores>]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { saveStudent, trainStudent } from '../../src/student/registry.js';
import { type BenchServer, SYSTEM_PYTHON, startApprentice, startFastApi } from './servers.js';
import { treeCpuSeconds } from './cpu.js';
import { type LoadResult, runWrk, writeWrkScript } from './wrk.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DATASETS = process.env.APPRENTICE_DATASETS ?? path.resolve(HERE, '../../../shared/datasets');
const log = (msg: string) => process.stderr.write(`[bench:serve ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

function readRows(file: string): { text: string; label: string }[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const r = JSON.parse(l) as { text: string; label?: string; labels?: string[] };
      return { text: r.text, label: r.label ?? r.labels![0] };
    });
}

function need(): string[] {
  const missing: string[] = [];
  if (spawnSync('wrk', ['--version']).error) missing.push('wrk (apt-get install wrk)');
  const py = spawnSync(SYSTEM_PYTHON, ['-c', 'import fastapi, uvicorn, sklearn']);
  if (py.status !== 0) missing.push('python3-fastapi python3-uvicorn python3-sklearn (apt-get install)');
  return missing;
}

async function accuracy(s: BenchServer, rows: { text: string; label: string }[]): Promise<number> {
  let right = 0;
  for (let i = 0; i < rows.length; i += 32) {
    const batch = rows.slice(i, i + 32);
    const r = await fetch(`${s.url}/v1/models/banking77/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ texts: batch.map((b) => b.text) }),
    });
    if (!r.ok) throw new Error(`${s.name}: ${r.status} ${await r.text()}`);
    const { predictions } = (await r.json()) as { predictions: { labels: string[] }[] };
    predictions.forEach((p, j) => {
      if (p.labels[0] === batch[j].label) right++;
    });
  }
  return right / rows.length;
}

async function main(): Promise<void> {
  const seconds = flag('seconds', 10);
  const connections = flag('connections', 16);
  const workers = flag('workers', availableParallelism());
  const dir = path.join(DATASETS, 'banking77');
  if (!existsSync(path.join(dir, 'train.jsonl'))) {
    log(`skipped: banking77 is not at ${dir} (set APPRENTICE_DATASETS)`);
    process.exitCode = 1;
    return;
  }
  const missing = need();
  if (missing.length) {
    log(`skipped: missing ${missing.join('; ')}`);
    process.exitCode = 1;
    return;
  }
  const train = readRows(path.join(dir, 'train.jsonl'));
  const test = readRows(path.join(dir, 'test.jsonl'));
  const labels = [...new Set(train.map((r) => r.label))].sort();
  const work = mkdtempSync(path.join(tmpdir(), 'bench-serve-'));
  const servers: BenchServer[] = [];
  try {
    log(`training both models on banking77 (${train.length} rows, ${labels.length} labels)`);
    const modelFile = path.join(work, 'banking77', 'model', 'student.bin');
    const student = trainStudent(
      'hashed-linear',
      train.map((r) => ({ text: r.text, labels: [r.label] })),
      { labels, multiLabel: false, seed: 1 },
    );
    saveStudent(student, modelFile);
    const pickle = path.join(work, 'peer.pkl');
    const fit = spawnSync(
      SYSTEM_PYTHON,
      [path.join(HERE, 'fastapi_peer.py'), 'train', path.join(dir, 'train.jsonl'), pickle],
      {
        encoding: 'utf8',
      },
    );
    if (fit.status !== 0) throw new Error(`peer training failed: ${fit.stderr}`);

    const apprentice = await startApprentice(modelFile, workers, log);
    servers.push(apprentice);
    const peer = await startFastApi(pickle, workers, log);
    servers.push(peer);

    // Also the warm-up: every worker of both has answered before any timing.
    const acc = { apprentice: await accuracy(apprentice, test), peer: await accuracy(peer, test) };
    log(`test accuracy through HTTP: apprentice ${acc.apprentice.toFixed(4)}, peer ${acc.peer.toFixed(4)}`);

    const texts = test.map((r) => r.text);
    const scripts: Record<number, string> = {};
    for (const batch of [1, 32]) {
      const bodies: string[] = [];
      for (let i = 0; bodies.length < 200; i = (i + batch) % (texts.length - batch))
        bodies.push(JSON.stringify({ texts: texts.slice(i, i + batch) }));
      scripts[batch] = path.join(work, `batch-${batch}.lua`);
      writeWrkScript(scripts[batch], bodies);
    }

    const load = { before: loadavg()[0], after: 0 };
    const runs: { server: string; batch: number; result: LoadResult; cpuSeconds: number }[] = [];
    for (const batch of [1, 32]) {
      for (const s of [apprentice, peer]) {
        const url = `${s.url}/v1/models/banking77/predict`;
        runWrk(url, scripts[batch], { seconds: 2, connections, threads: 1 }); // settle
        const cpuBefore = treeCpuSeconds(s.pid);
        const result = runWrk(url, scripts[batch], { seconds, connections, threads: 1 });
        const cpuSeconds = treeCpuSeconds(s.pid) - cpuBefore;
        runs.push({ server: s.name, batch, result, cpuSeconds });
        log(
          `${s.name}, batch ${batch}: ${result.requestsPerSecond.toFixed(0)} req/s, ${(result.requestsPerSecond * batch).toFixed(0)} predictions/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms${result.non2xx || result.socketErrors ? `, ${result.non2xx} non-2xx, ${result.socketErrors} socket errors` : ''}`,
        );
      }
    }
    load.after = loadavg()[0];

    const rows = runs.map((r) => ({
      server: r.server,
      batch: r.batch,
      requestsPerSecond: Math.round(r.result.requestsPerSecond),
      predictionsPerSecond: Math.round(r.result.requestsPerSecond * r.batch),
      p50Ms: r.result.p50Ms,
      p99Ms: r.result.p99Ms,
      non2xx: r.result.non2xx,
      socketErrors: r.result.socketErrors,
      // Predictions per CPU-second of the server's processes: what each core it gets is worth,
      // whatever the other jobs on the machine leave it.
      predictionsPerCpuSecond: Math.round((r.result.requests * r.batch) / r.cpuSeconds),
      cpuSeconds: r.cpuSeconds,
    }));
    const ratios = [1, 32].map((batch) => {
      const a = rows.find((r) => r.batch === batch && r.server === apprentice.name)!;
      const p = rows.find((r) => r.batch === batch && r.server === peer.name)!;
      return {
        batch,
        predictionsPerSecond: a.predictionsPerSecond / p.predictionsPerSecond,
        predictionsPerCpuSecond: a.predictionsPerCpuSecond / p.predictionsPerCpuSecond,
        p99: a.p99Ms / p.p99Ms,
      };
    });
    const results = {
      startedAt: new Date().toISOString(),
      dataset: 'banking77',
      settings: { seconds, connections, workers, wrkThreads: 1 },
      machine: {
        cores: cpus().length,
        cpu: cpus()[0]?.model,
        loadAverageBefore: load.before,
        loadAverageAfter: load.after,
        note: 'shared with other jobs while measured: absolute figures are noisy, the ratios (same run, alternating) less so',
      },
      accuracy: acc,
      runs: rows,
      ratios,
    };
    mkdirSync(path.join(HERE, 'results'), { recursive: true });
    writeFileSync(path.join(HERE, 'results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(table(rows, ratios, results.machine));
  } finally {
    for (const s of servers) await s.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

function table(
  rows: {
    server: string;
    batch: number;
    requestsPerSecond: number;
    predictionsPerSecond: number;
    predictionsPerCpuSecond: number;
    p50Ms: number;
    p99Ms: number;
  }[],
  ratios: { batch: number; predictionsPerSecond: number; predictionsPerCpuSecond: number; p99: number }[],
  machine: { cores: number; loadAverageBefore: number; loadAverageAfter: number },
): string {
  const lines = [
    '| server | batch | requests/s | predictions/s | p50 ms | p99 ms | predictions per CPU-second |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.server} | ${r.batch} | ${r.requestsPerSecond} | ${r.predictionsPerSecond} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${r.predictionsPerCpuSecond} |`,
    ),
    '',
    ...ratios.map(
      (r) =>
        `batch ${r.batch}: apprentice serves ${r.predictionsPerSecond.toFixed(1)}× the peer's predictions/s at ${r.p99.toFixed(2)}× its p99, ${r.predictionsPerCpuSecond.toFixed(1)}× its predictions per CPU-second`,
    ),
    `(${machine.cores} cores, load average ${machine.loadAverageBefore.toFixed(1)} before, ${machine.loadAverageAfter.toFixed(1)} after: shared machine)`,
  ];
  return `${lines.join('\n')}\n`;
}

main().catch((e) => {
  log(`FAILED: ${(e as Error).stack ?? e}`);
  process.exitCode = 1;
});
