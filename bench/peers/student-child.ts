/**
 * Runs in its own process (spawned by student.ts) so that its peak RSS is the whole process's,
 * measured the way the Python peer measures its own.
 * argv: TRAIN.jsonl TEST.jsonl LABELS.json MODEL_OUT PRED_OUT LATENCY_N THROUGHPUT_LINES multi|single SEED
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { saveStudent, trainStudent } from '../../src/student/registry.js';
import type { TrainingRow } from '../../src/student/types.js';
import { repeatTo } from '../lib/measure.js';

const STUDENT_KIND = 'hashed-linear';

const [trainPath, testPath, labelsPath, modelOut, predOut, latencyN, throughputLines, mode, seed] =
  process.argv.slice(2);

function readRows(file: string): TrainingRow[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const o = JSON.parse(l) as { text: string; label?: string; labels?: string[] };
      return { text: o.text, labels: o.labels ?? [o.label as string] };
    });
}

const train = readRows(trainPath);
const testTexts = readRows(testPath).map((r) => r.text);
const labels = JSON.parse(readFileSync(labelsPath, 'utf8')) as string[];

let t = performance.now();
const student = trainStudent(STUDENT_KIND, train, { labels, multiLabel: mode === 'multi', seed: Number(seed) }, {});
const trainSeconds = (performance.now() - t) / 1000;
// maxRSS is KiB: getrusage(RUSAGE_SELF), the same call the Python peer makes.
const peakMB = process.resourceUsage().maxRSS / 1024;

writeFileSync(
  predOut,
  `${student
    .predictBatch(testTexts)
    .map((p) => JSON.stringify(p.labels))
    .join('\n')}\n`,
);

const sample = testTexts.slice(0, Number(latencyN));
for (const text of sample.slice(0, 20)) student.predict(text); // warm-up: let V8 optimize the hot path
const times: number[] = [];
for (const text of sample) {
  const s = process.hrtime.bigint();
  student.predict(text);
  times.push(Number(process.hrtime.bigint() - s) / 1000);
}
times.sort((a, b) => a - b);
const pct = (q: number) => (times.length ? times[Math.min(times.length - 1, Math.floor(q * times.length))] : null);

// After the latency loop, so the batch path runs warm, as the peers' do.
const many = repeatTo(testTexts, Number(throughputLines));
t = performance.now();
student.predictBatch(many);
const batchSeconds = (performance.now() - t) / 1000;

saveStudent(student, modelOut);
process.stdout.write(
  `${JSON.stringify({
    trainSeconds,
    peakMB,
    predictPerSecond: many.length / batchSeconds,
    latencyP50Micros: pct(0.5),
    latencyP99Micros: pct(0.99),
    latencyMeanMicros: times.length ? times.reduce((a, b) => a + b, 0) / times.length : null,
    modelBytes: statSync(modelOut).size,
  })}\n`,
);
