/**
 * Data browser latency over a generated 100,000-row run: the first page and every filter, each
 * answered by the studio's HTTP app (hono, SQLite index), measured after the one-time index build.
 *   node --import tsx bench/studio/data-browser.ts [--rows 100000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudio } from '../../src/studio/server/app.js';
import { writeBigRun } from '../../src/studio/server/big-run.fixture.js';

const rowsArg = process.argv.indexOf('--rows');
const n = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : 100_000;
const root = mkdtempSync(join(tmpdir(), 'studio-bench-'));
try {
  let t = performance.now();
  writeBigRun(join(root, 'big'), n);
  const genMs = performance.now() - t;
  const studio = createStudio({ runsDir: root, cachePath: join(root, 'cache.sqlite'), assets: async () => ({}) });
  const get = async (q: string) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const res = await studio.app.request(`/api/runs/big/rows?${q}`);
    const body = (await res.json()) as { total: number };
    if (res.status !== 200) throw new Error(`${q}: ${res.status} ${JSON.stringify(body)}`);
    const cpu = process.cpuUsage(c0);
    // CPU time beside wall time: on a shared machine the wall clock also counts other processes.
    return { ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, total: body.total };
  };
  t = performance.now();
  await get('limit=1&facets=0');
  const indexMs = performance.now() - t;
  // The first look at the rows also starts the out-of-fold predictions (a worker thread); the
  // filters are measured once they are in, as a person sees them after that one-time wait.
  t = performance.now();
  await studio.outOfFold.idle();
  const oofMs = performance.now() - t;
  const scored = (await (await studio.app.request('/api/runs/big/rows?limit=1&facets=0')).json()) as {
    scoredBy: string;
  };
  const queries = [
    '',
    'offset=50000',
    'label=sports',
    'source=generated',
    'round=3',
    'strategy=weak-label',
    'disagree=1',
    'low=1',
    'flagged=1',
    'q=forecast',
    'q=zzzz-no-match',
    'label=cooking&disagree=1&q=score',
    'order=priority&facets=0',
    'predicted=sports&label=cooking',
  ];
  const out: string[] = [];
  let worst = 0;
  for (const q of queries) {
    const times: number[] = [];
    const cpus: number[] = [];
    let total = 0;
    for (let i = 0; i < 5; i++) {
      const r = await get(q);
      times.push(r.ms);
      cpus.push(r.cpuMs);
      total = r.total;
    }
    const first = times[0];
    times.sort((a, b) => a - b);
    cpus.sort((a, b) => a - b);
    worst = Math.max(worst, times[4]);
    out.push(
      `${(q || '(first page)').padEnd(40)} ${String(total).padStart(7)} rows   first ${first.toFixed(0)} ms   median ${times[2].toFixed(0)} ms   max ${times[4].toFixed(0)} ms   (cpu median ${cpus[2].toFixed(0)} ms, max ${cpus[4].toFixed(0)} ms)`,
    );
  }
  await studio.close();
  process.stdout.write(
    `studio data browser over ${n.toLocaleString('en-US')} rows (generate ${(genMs / 1000).toFixed(1)} s, index build ${(indexMs / 1000).toFixed(1)} s, ` +
      `out-of-fold predictions ${(oofMs / 1000).toFixed(1)} s on a worker; once each; rows scored by: ${scored.scoredBy})\n` +
      'each request: page of 50 + facet counts under the filter (from the in-memory columns; nothing kept between requests), 5 tries\n' +
      `${out.join('\n')}\nworst single request: ${worst.toFixed(1)} ms (target: under 200 ms)\n`,
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
