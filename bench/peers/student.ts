import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Dataset, REPO_ROOT, writeRows } from '../lib/datasets.js';
import { sizes } from '../lib/measure.js';
import { runProc } from '../lib/proc.js';
import { fileBytes, timeModel, writeJsonTexts } from '../lib/timed.js';
import { fromTiming, type Measured } from '../lib/types.js';

const CHILD = fileURLToPath(new URL('./student-child.ts', import.meta.url));
export const STUDENT_SEED = 1;

/**
 * The student's validation grid: the library defaults (l2 3e-6, charWeight 0.7) and one step either
 * side of each. Small on purpose, like the peers' grids; chosen on the validation split only.
 */
export const STUDENT_GRID: Record<string, unknown>[] = [1e-6, 3e-6, 1e-5].flatMap((l2) =>
  [0.5, 0.7, 1.0].map((charWeight) => ({ l2, charWeight })),
);

/**
 * The child as plain JavaScript: bundled once per run (esbuild, which tsx already brings; untimed), so
 * the timed processes do not pay for compiling TypeScript at start-up, as a shipped build would not.
 * Dependencies stay external and resolve from the repository's node_modules.
 */
const BUNDLE = join(REPO_ROOT, 'node_modules', '.cache', 'apprentice-bench', 'student-child.mjs');
let bundled: Promise<void> | undefined;
function bundleChild(): Promise<void> {
  bundled ??= import('esbuild').then(async ({ build }) => {
    await build({
      entryPoints: [CHILD],
      outfile: BUNDLE,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'error',
    });
  });
  return bundled;
}

const node = (...args: string[]) => ({ cmd: process.execPath, args: [BUNDLE, ...args] });

/** The student, tuned on the validation split, then trained and timed in child processes exactly like the peers. */
export async function runStudent(ds: Dataset, quick: boolean): Promise<Measured> {
  await bundleChild();
  const dir = mkdtempSync(join(tmpdir(), `bench-st-${ds.name}-`));
  try {
    const f = (name: string) => join(dir, name);
    const mode = ds.multiLabel ? 'multi' : 'single';
    writeRows(f('train.jsonl'), ds.train, ds.multiLabel);
    writeRows(f('fit.jsonl'), ds.tuning.fit, ds.multiLabel);
    writeRows(f('val.jsonl'), ds.tuning.validation, ds.multiLabel);
    writeFileSync(f('labels.json'), JSON.stringify(ds.labels));

    const tune = node(
      'tune',
      f('fit.jsonl'),
      f('val.jsonl'),
      f('labels.json'),
      mode,
      `${STUDENT_SEED}`,
      JSON.stringify(STUDENT_GRID),
    );
    const scores = JSON.parse((await runProc(tune.cmd, tune.args)).stdout.trim().split('\n').pop() as string) as {
      params: Record<string, unknown>;
      accuracy: number;
    }[];
    // Ties go to the earlier candidate; the grid lists the defaults' neighbours in a fixed order.
    const best = scores.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));

    const model = f('student.bin');
    const { latencyTexts, throughputLines } = sizes(quick);
    const testTexts = ds.test.map((r) => r.text);
    const t = await timeModel(
      {
        dir,
        train: node(
          'train',
          f('train.jsonl'),
          f('labels.json'),
          model,
          mode,
          `${STUDENT_SEED}`,
          JSON.stringify(best.params),
        ),
        fitSecondsOf: (stdout) =>
          (JSON.parse(stdout.trim().split('\n').pop() as string) as { fitSeconds: number }).fitSeconds,
        predict: (texts, out) => node('predict', model, texts, out),
        writeTexts: writeJsonTexts,
        latency: (texts, n) => node('latency', model, texts, `${n}`),
      },
      testTexts,
      { throughputLines, latencyTexts },
    );
    writeJsonTexts(f('test.texts'), testTexts);
    const p = node('predict', model, f('test.texts'), f('pred.jsonl'));
    await runProc(p.cmd, p.args);
    const predictions = readFileSync(f('pred.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as string[]);
    return {
      ...fromTiming(t),
      modelBytes: fileBytes(model),
      predictions,
      validationAccuracy: best.accuracy,
      settings: {
        kind: 'hashed-linear',
        params: best.params,
        tuning: { grid: STUDENT_GRID.length, chosenOn: 'validation', scores },
        seed: STUDENT_SEED,
        latencyTexts: Math.min(latencyTexts, ds.test.length),
        multiLabelDecision: ds.multiLabel ? 'probability ≥ 0.5, top label if none and no empty train row' : null,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
