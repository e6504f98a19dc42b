/**
 * The student's side of the benchmark, one mode per process so each is timed the way the peers'
 * commands are (student.ts spawns it, pinned to one core):
 *   train TRAIN.jsonl LABELS.json MODEL_OUT multi|single SEED PARAMS_JSON  → trains, saves; prints {fitSeconds}
 *   predict MODEL TEXTS.jsonl PRED_OUT                                       → one JSON label list per text
 *   latency MODEL TEXTS.jsonl N                                              → prints {p50,p99,mean} in µs
 *   tune FIT.jsonl VAL.jsonl LABELS.json multi|single SEED GRID_JSON        → prints validation accuracy per candidate
 * TEXTS.jsonl holds one JSON string per line.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { evaluate } from '../../src/metrics/index.js';
import { loadStudent, saveStudent, trainStudent } from '../../src/student/registry.js';
import type { TrainingRow } from '../../src/student/types.js';

const STUDENT_KIND = 'hashed-linear';

function readRows(file: string): TrainingRow[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const o = JSON.parse(l) as { text: string; label?: string; labels?: string[] };
      return { text: o.text, labels: o.labels ?? [o.label as string] };
    });
}

const readTexts = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as string);

const [mode, ...args] = process.argv.slice(2);

if (mode === 'train') {
  const [trainPath, labelsPath, modelOut, multi, seed, params] = args;
  const train = readRows(trainPath);
  const labels = JSON.parse(readFileSync(labelsPath, 'utf8')) as string[];
  const t = performance.now();
  const student = trainStudent(
    STUDENT_KIND,
    train,
    { labels, multiLabel: multi === 'multi', seed: Number(seed) },
    JSON.parse(params) as Record<string, unknown>,
  );
  const fitSeconds = (performance.now() - t) / 1000;
  saveStudent(student, modelOut);
  process.stdout.write(`${JSON.stringify({ fitSeconds })}\n`);
} else if (mode === 'predict') {
  const [modelPath, textsPath, predOut] = args;
  const student = loadStudent(modelPath);
  const out = student.predictBatch(readTexts(textsPath)).map((p) => JSON.stringify(p.labels));
  writeFileSync(predOut, `${out.join('\n')}\n`);
} else if (mode === 'latency') {
  const [modelPath, textsPath, n] = args;
  const student = loadStudent(modelPath);
  const sample = readTexts(textsPath).slice(0, Number(n));
  for (const text of sample.slice(0, 20)) student.predict(text); // warm-up: let V8 optimize the hot path
  const times: number[] = [];
  for (const text of sample) {
    const s = process.hrtime.bigint();
    student.predict(text);
    times.push(Number(process.hrtime.bigint() - s) / 1000);
  }
  times.sort((a, b) => a - b);
  const pct = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  process.stdout.write(
    `${JSON.stringify({ p50: pct(0.5), p99: pct(0.99), mean: times.reduce((a, b) => a + b, 0) / times.length })}\n`,
  );
} else if (mode === 'tune') {
  const [fitPath, valPath, labelsPath, multi, seed, grid] = args;
  const fit = readRows(fitPath);
  const val = readRows(valPath);
  const labels = JSON.parse(readFileSync(labelsPath, 'utf8')) as string[];
  const scores = (JSON.parse(grid) as Record<string, unknown>[]).map((params) => {
    const student = trainStudent(
      STUDENT_KIND,
      fit,
      { labels, multiLabel: multi === 'multi', seed: Number(seed) },
      params,
    );
    return { params, accuracy: evaluate(student, val).accuracy };
  });
  process.stdout.write(`${JSON.stringify(scores)}\n`);
} else {
  process.stderr.write(`student-child: unknown mode ${mode}\n`);
  process.exitCode = 2;
}
