/**
 * The span label-noise check on a real set: WNUT-17 train annotated by the dataset teacher with
 * LLM-shaped span noise, the out-of-fold span students (src/loop/extract/filters/label-noise.ts)
 * over the newest `--checked` rows, scored against the file's gold spans. Also self-consistency:
 * the share of wrong spans before and after a vote of `--samples` samples on the same rows.
 *
 *   APPRENTICE_DATASETS=/work/shared/datasets node --import tsx bench/extract/filters.ts \
 *     [--rows 1000] [--checked 300] [--noise 0.1] [--samples 3] [--seed 1] [--doubt 0.5] [--missed 0.8]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SHARED_DATASETS } from '../../test/fixtures/shared-datasets.js';
import { DatasetExtractTeacher } from '../../src/data/extract/dataset-extract-teacher.js';
import { readSpanFile } from '../../src/data/extract/read-spans.js';
import { findSpanIssues } from '../../src/loop/extract/filters/label-noise.js';
import { spanKey, voteSpans } from '../../src/loop/extract/filters/span-vote.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { TeacherSettingsSchema } from '../../src/task/schema.js';
import { CallGate } from '../../src/teacher/call-gate.js';
import type { TeacherSpan } from '../../src/teacher/extract/types.js';
import { textId } from '../../src/util/hash.js';
import { Rng } from '../../src/util/random.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000' },
    checked: { type: 'string', default: '300' },
    noise: { type: 'string', default: '0.1' },
    samples: { type: 'string', default: '3' },
    seed: { type: 'string', default: '1' },
    doubt: { type: 'string', default: '0.5' },
    missed: { type: 'string', default: '0.8' },
  },
});
const seed = Number(values.seed);
const noise = Number(values.noise);
const file = join(SHARED_DATASETS, 'wnut17', 'train.txt');
const read = readSpanFile(file);
const types = [...new Set(read.examples.flatMap((e) => e.spans.map((s) => s.type)))].sort();
const byText = new Map(read.examples.map((e) => [e.text, e]));
const texts = new Rng(seed).sample([...byText.keys()], Number(values.rows));
const gate = new CallGate({ store: new MemoryStore(), runId: 'bench', teacherId: 'dataset', budget: {} });
const teacher = new DatasetExtractTeacher(
  TeacherSettingsSchema.parse({
    model: `dataset:${file}`,
    spanNoise: { missed: noise, wrongType: noise, boundary: noise },
  }),
  { gate, types, seed },
);
const inputs = texts.map((text) => ({ id: textId(text), text }));
const answers = await teacher.extract(inputs);
const rows = answers.map((a, i) => ({
  text: texts[i],
  spans: a.ok ? a.spans : [],
  ...(byText.get(texts[i])!.tokens ? { tokens: byText.get(texts[i])!.tokens } : {}),
}));
const goldKeys = (i: number) => new Set(byText.get(rows[i].text)!.spans.map(spanKey));
const checked = rows.map((_, i) => i).slice(rows.length - Number(values.checked));

const t0 = process.cpuUsage();
const issues = findSpanIssues(rows, checked, {
  types,
  seed,
  kind: 'sequence-perceptron',
  doubt: Number(values.doubt),
  missed: Number(values.missed),
});
const cpu = (process.cpuUsage(t0).user / 1e6).toFixed(1);
let teacherSpans = 0;
let corrupted = 0;
let goldMissedByTeacher = 0;
for (const i of checked) {
  const g = goldKeys(i);
  const t = new Set(rows[i].spans.map(spanKey));
  teacherSpans += rows[i].spans.length;
  corrupted += rows[i].spans.filter((s) => !g.has(spanKey(s))).length;
  goldMissedByTeacher += [...g].filter((k) => !t.has(k)).length;
}
const doubted = issues.filter((x) => x.kind === 'doubted');
const doubtedRight = doubted.filter((x) => !goldKeys(x.row).has(spanKey(x.span))).length;
const missed = issues.filter((x) => x.kind === 'missed');
const missedRight = missed.filter((x) => goldKeys(x.row).has(spanKey(x.span))).length;

// Self-consistency on the checked rows: own answer + samples − 1 fresh ones.
const own = checked.map((i) => rows[i].spans as TeacherSpan[]);
const votes: (TeacherSpan[] | undefined)[][] = own.map((s) => [s]);
for (let s = 1; s < Number(values.samples); s++) {
  const more = await teacher.extract(
    checked.map((i) => inputs[i]),
    { temperature: 0.7 },
  );
  more.forEach((r, k) => votes[k].push(r.ok ? r.spans : undefined));
}
let voted = 0;
let votedWrong = 0;
let votedRight = 0;
checked.forEach((i, k) => {
  const v = voteSpans(votes[k]).spans;
  const g = goldKeys(i);
  voted += v.length;
  votedWrong += v.filter((s) => !g.has(spanKey(s))).length;
  votedRight += v.filter((s) => g.has(spanKey(s))).length;
});
const goldTotal = checked.reduce((a, i) => a + goldKeys(i).size, 0);
console.log(
  JSON.stringify({
    set: 'wnut17/train',
    rows: rows.length,
    checked: checked.length,
    noise,
    seed,
    doubt: Number(values.doubt),
    missed: Number(values.missed),
    teacherSpans,
    corrupted,
    chance: +(corrupted / teacherSpans).toFixed(3),
    doubted: doubted.length,
    doubtedPrecision: +(doubtedRight / Math.max(1, doubted.length)).toFixed(3),
    doubtedRecall: +(doubtedRight / Math.max(1, corrupted)).toFixed(3),
    goldMissedByTeacher,
    missedFlagged: missed.length,
    missedPrecision: +(missedRight / Math.max(1, missed.length)).toFixed(3),
    labelNoiseCpuS: +cpu,
    selfConsistency: {
      samples: Number(values.samples),
      wrongShareBefore: +(corrupted / teacherSpans).toFixed(3),
      wrongShareAfter: +(votedWrong / Math.max(1, voted)).toFixed(3),
      goldRecallBefore: +((teacherSpans - corrupted) / goldTotal).toFixed(3),
      goldRecallAfter: +(votedRight / goldTotal).toFixed(3),
    },
  }),
);
