/**
 * The extraction review queue's first open over a generated run: every training text predicted by
 * the run's sequence student and ordered by its confidence (src/studio/server/span-review.ts), with
 * the longest the event loop went unanswered meanwhile (the studio keeps serving other requests
 * between chunks), then a second open from memory.
 *   node --import tsx bench/studio/span-queue.ts [--rows 20000]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_FILES } from '../../src/run/run-files.js';
import { spanQueue } from '../../src/studio/server/span-review.js';
import { SPAN_TYPES, spanRows } from '../../src/student/sequence/synthetic-spans.js';
import { trainSpanStudent } from '../../src/student/span-registry.js';

const rowsArg = process.argv.indexOf('--rows');
const n = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : 20_000;
const dir = mkdtempSync(join(tmpdir(), 'span-queue-bench-'));
try {
  mkdirSync(join(dir, 'model'), { recursive: true });
  const rows = spanRows(n, 3);
  const student = trainSpanStudent('sequence-perceptron', rows.slice(0, 500), { types: SPAN_TYPES, seed: 1 }, {});
  writeFileSync(join(dir, RUN_FILES.student), student.toBytes());
  writeFileSync(
    join(dir, RUN_FILES.training),
    rows
      .map((r) => JSON.stringify({ text: r.text, spans: r.spans, source: 'random', round: 1, teacher: 't' }))
      .join('\n'),
  );
  let last = performance.now();
  let gap = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    gap = Math.max(gap, now - last);
    last = now;
  }, 5);
  const t0 = performance.now();
  const q = await spanQueue(dir);
  const first = performance.now() - t0;
  const t1 = performance.now();
  await spanQueue(dir);
  const again = performance.now() - t1;
  clearInterval(tick);
  console.log(
    JSON.stringify({
      texts: q.rows.length,
      firstOpenMs: Math.round(first),
      longestEventLoopGapMs: Math.round(gap),
      againMs: Number(again.toFixed(2)),
      loadAverage: Number(loadavg()[0].toFixed(1)),
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
