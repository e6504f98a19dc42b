/**
 * Extraction loop efficiency (issue 17): how many teacher answers each selection strategy needs to
 * get the sequence student to 95% of the span F1 it reaches on all of train. The teacher is the
 * dataset itself (the `dataset:` extraction teacher over the train file, noise-free unless
 * `--noise`). As in bench/loop-efficiency.ts the test file is cut in two once, by distinct text,
 * with a fixed seed: one half is the loop's `eval` file (reported only; the loop steers and stops on
 * its own teacher-annotated validation split drawn from the pool), and every round's student of
 * every strategy and seed is scored on the other half, which no run sees.
 *
 *   npm run bench -- --extract-loop [--quick] [--seeds 2] [--set wnut17|<product_ave set>]
 *                                   [--per-round 200] [--budget N] [--strategies closed-loop,random,margin,generate]
 *                                   [--seed-from 3] [--initial 600] [--favour-entities] [--noise 0.2]
 *
 * Writes bench/results/extract-loop.json (a --quick run: quick-extract-loop.json). Progress on stderr.
 * Datasets: $APPRENTICE_DATASETS, else ../shared/datasets beside the repo.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createExtractTeacher } from '../../src/data/extract/extract-teacher.js';
import { readExtractGold, readExtractPool } from '../../src/loop/extract/pool.js';
import { scoreStudent } from '../../src/loop/extract/evaluate.js';
import { runExtractLoop } from '../../src/loop/extract/run-extract-loop.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { trainSpanStudent } from '../../src/student/span-registry.js';
import { taskFromObject } from '../../src/task/load.js';
import { CallGate } from '../../src/teacher/call-gate.js';
import { readSpanFile } from '../../src/data/extract/read-spans.js';
import { SHARED_DATASETS } from '../../test/fixtures/shared-datasets.js';
import { targetOf } from '../lib/loop-math.js';
import { commandLine, gitCommit } from '../lib/provenance.js';
import { RESULTS_DIR } from '../lib/results.js';
import { splitByText, overlapCount } from '../lib/split.js';
import type { CurvePoint } from '../lib/types.js';
import { answerRatio, meanCurve, readStrategy } from './loop-math.js';

/** Which test rows are held out: fixed, so every strategy and seed is scored on the same ones (as bench/loop-efficiency.ts). */
const HOLDOUT_SEED = 11;
const FULL_DATA_SEED = 1;
/**
 * `generate`: closed-loop with the generation arms (weak type, hard negatives, entity-free) beside
 * the pool, shared by the bandit (loop.poolShare 0.8). The other three are pool-only
 * (`loop.poolShare: 1`), as they were measured before generation existed.
 */
const STRATEGIES = ['closed-loop', 'random', 'margin', 'generate'] as const;
type Strategy = (typeof STRATEGIES)[number];
const DEFAULT_STRATEGIES: readonly Strategy[] = ['closed-loop', 'random', 'margin'];

const log = (msg: string) => process.stderr.write(`[extract-loop ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

/** The set's train (pool and teacher) and test files: WNUT-17 CoNLL or a product_ave attribute JSONL set. */
function setFiles(set: string): { train: string; test: string } {
  const root = SHARED_DATASETS;
  const files =
    set === 'wnut17'
      ? { train: join(root, 'wnut17', 'train.txt'), test: join(root, 'wnut17', 'test.txt') }
      : { train: join(root, 'product_ave', set, 'train.jsonl'), test: join(root, 'product_ave', set, 'test.jsonl') };
  for (const f of Object.values(files))
    if (!existsSync(f)) throw new Error(`${f} not found: set APPRENTICE_DATASETS to the datasets folder`);
  return files;
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const set = arg('set', 'wnut17');
  // --seed-from: more seeds later without rerunning the first ones (their results file is separate).
  const seedFrom = Number(arg('seed-from', '1'));
  const seeds = Array.from({ length: Number(arg('seeds', quick ? '1' : '2')) }, (_, i) => i + seedFrom);
  const strategies = arg('strategies', DEFAULT_STRATEGIES.join(',')).split(',') as Strategy[];
  for (const s of strategies) if (!STRATEGIES.includes(s)) throw new Error(`--strategies: unknown ${s}`);
  const noise = Number(arg('noise', '0'));
  const favourEntities = process.argv.includes('--favour-entities');
  const variant = `${seedFrom > 1 ? `-seeds${seedFrom}` : ''}${favourEntities ? '-favour-entities' : ''}${arg('initial', '') ? `-initial${arg('initial', '')}` : ''}${strategies.includes('generate') ? '-generate' : ''}`;
  const files = setFiles(set);
  const trainFile = readSpanFile(files.train);
  const types = [...trainFile.types].sort();
  const test = readExtractGold(files.test, types);
  const split = splitByText(
    test.map((r) => r.text),
    0.5,
    HOLDOUT_SEED,
  );
  const overlap = overlapCount(
    test.map((r) => r.text),
    split,
  );
  if (overlap > 0) throw new Error(`${overlap} held-out test texts are also in the loop's half`);
  const held = split.held.map((i) => test[i]);
  const seen = split.seen.map((i) => test[i]);
  const pool = readExtractPool(files.train);
  const budget = Math.min(Number(arg('budget', quick ? '1000' : String(pool.texts.length))), pool.texts.length);
  const perRound = Number(arg('per-round', quick ? '100' : '200'));
  log(
    `${set}: ${pool.texts.length} pool texts (${pool.duplicates} duplicates dropped), test ${test.length} → ${seen.length} loop half / ${held.length} held out; budget ${budget}, ${perRound} a round, seeds ${seeds.join(',')}; load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );

  // The loop's students train with the library defaults, so 95% is of that student on all of train.
  const t0 = performance.now();
  const full = trainSpanStudent('sequence-perceptron', trainFile.examples, { types, seed: FULL_DATA_SEED }, {});
  const fullF1 = scoreStudent(full, held, types).metrics.micro.f1;
  const target = targetOf(fullF1);
  log(
    `full-data student: held-out span F1 ${fullF1.toFixed(4)} → target ${target.toFixed(4)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );

  const dir = mkdtempSync(join(tmpdir(), `bench-extract-loop-${set}-`));
  const curves = {} as Record<Strategy, CurvePoint[][]>;
  const validationF1 = {} as Record<Strategy, CurvePoint[][]>;
  // Span F1 on the loop's half of the test set: what selection changes may be tuned on (never `curves`).
  const loopHalf = {} as Record<Strategy, CurvePoint[][]>;
  const loopSettings = {
    // --initial: a bigger random cold-start round, so the first uncertainty picks come from a student that tags something.
    initialLabels: Number(arg('initial', String(perRound))),
    answersPerRound: perRound,
    maxRounds: Math.ceil(budget / perRound) + 2,
    // Plateau stopping off: every strategy spends its whole budget, so the curves compare end to end.
    patience: Math.ceil(budget / perRound) + 3,
    validationSize: Number(arg('validation', '200')),
  };
  try {
    for (const strategy of strategies) {
      curves[strategy] = [];
      validationF1[strategy] = [];
      loopHalf[strategy] = [];
      for (const seed of seeds) {
        const started = performance.now();
        const task = taskFromObject(
          {
            kind: 'extract',
            name: `bench-extract-loop-${set}`,
            instruction: `Mark the ${types.join(', ')} mentions.`,
            types,
            pool: files.train,
            teacher: { model: `dataset:${files.train}`, ...(noise > 0 ? { noise } : {}) },
            budget: { answers: budget },
            loop: {
              ...loopSettings,
              ...(strategy === 'generate' ? { strategy: 'closed-loop' } : { strategy, poolShare: 1 }),
            },
            seed,
          },
          { baseDir: dir },
        );
        // A fresh store per run: no cached answer carries over between strategies or seeds.
        const gate = new CallGate({
          store: new MemoryStore(),
          runId: `${strategy}-${seed}`,
          teacherId: task.teacher.model,
          budget: task.budget,
        });
        const teacher = await createExtractTeacher(task, { gate, taskDir: dir, seed });
        const curve: CurvePoint[] = [];
        const outcome = await runExtractLoop({
          task,
          teacher,
          gate,
          pool: pool.texts,
          // The loop's half: reported in its rounds only (the loop stops on its own validation split).
          gold: seen,
          duplicates: pool.duplicates,
          selection: { favourEntities },
          onRound: (c) => {
            curve.push({ answers: c.answers, accuracy: scoreStudent(c.student, held, types).metrics.micro.f1 });
          },
        });
        curves[strategy].push(curve);
        validationF1[strategy].push(outcome.rounds.map((r) => ({ answers: r.answers, accuracy: r.validation.f1 })));
        loopHalf[strategy].push(outcome.rounds.map((r) => ({ answers: r.answers, accuracy: r.gold?.f1 ?? 0 })));
        const reading = readStrategy([curve], fullF1);
        log(
          `  ${strategy} seed ${seed}: ${curve.at(-1)?.answers} answers, held-out F1 ${curve.at(-1)?.accuracy.toFixed(4)}, to target ${reading.perSeed[0] ?? 'not reached'}, stop ${outcome.stopReason} (${((performance.now() - started) / 1000).toFixed(0)} s); held-out curve ${curve.map((p) => `${p.answers}:${p.accuracy.toFixed(3)}`).join(' ')}; loop-half curve ${outcome.rounds.map((r) => `${r.answers}:${(r.gold?.f1 ?? 0).toFixed(3)}`).join(' ')}`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const readings = Object.fromEntries(strategies.map((s) => [s, readStrategy(curves[s], fullF1)])) as Record<
    Strategy,
    ReturnType<typeof readStrategy>
  >;
  const ratio = (s: Strategy, interpolated: boolean) =>
    readings[s] && readings.random
      ? answerRatio(
          interpolated ? readings[s].medianInterpolated : readings[s].median,
          interpolated ? readings.random.medianInterpolated : readings.random.median,
          budget,
        )
      : null;
  const result = {
    kind: 'extract-loop',
    mode: quick ? 'quick' : 'full',
    commit: gitCommit(),
    command: commandLine(process.argv.slice(2)),
    finishedAt: new Date().toISOString(),
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    set,
    scoredOn: 'held-out',
    heldOutRows: held.length,
    loopHalfRows: seen.length,
    heldOutSeed: HOLDOUT_SEED,
    overlap,
    fullDataF1: fullF1,
    target,
    budget,
    seeds,
    teacher: { dataset: files.train, noise },
    selection: { favourEntities },
    settings: {
      ...loopSettings,
      student: 'sequence-perceptron, library defaults (full-data student the same, seed 1)',
    },
    answersTo95: Object.fromEntries(strategies.map((s) => [s, readings[s].median])),
    answersTo95Interpolated: Object.fromEntries(strategies.map((s) => [s, readings[s].medianInterpolated])),
    ratioToRandom: Object.fromEntries(strategies.filter((s) => s !== 'random').map((s) => [s, ratio(s, false)])),
    ratioToRandomInterpolated: Object.fromEntries(
      strategies.filter((s) => s !== 'random').map((s) => [s, ratio(s, true)]),
    ),
    strategies: readings,
    meanCurves: Object.fromEntries(strategies.map((s) => [s, meanCurve(curves[s])])),
    curves,
    validationCurves: validationF1,
    loopHalfCurves: loopHalf,
    loopHalfMeanCurves: Object.fromEntries(strategies.map((s) => [s, meanCurve(loopHalf[s])])),
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const out = join(
    RESULTS_DIR,
    `${quick ? 'quick-' : ''}extract-loop${set === 'wnut17' ? '' : `-${set}`}${variant}.json`,
  );
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  log(
    `answers to 95% (median over seeds): ${JSON.stringify(result.answersTo95)}; interpolated ${JSON.stringify(result.answersTo95Interpolated)}; ratio ${JSON.stringify(result.ratioToRandom)}`,
  );
  log(`wrote ${out}`);
}

main().catch((e: unknown) => {
  log(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exitCode = 1;
});
