import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeRows, type Dataset } from '../lib/datasets.js';
import { runProc } from '../lib/proc.js';
import { sizes } from '../lib/measure.js';
import type { Measured } from '../lib/types.js';

const CHILD = fileURLToPath(new URL('./student-child.ts', import.meta.url));
export const STUDENT_SEED = 1;

/** Our student, trained and timed in a child process, exactly like the peers. */
export async function runStudent(ds: Dataset, quick: boolean): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), `bench-st-${ds.name}-`));
  try {
    const [train, test, labels, model, preds] = [
      'train.jsonl',
      'test.jsonl',
      'labels.json',
      'student.bin',
      'pred.jsonl',
    ].map((f) => join(dir, f));
    writeRows(train, ds.train, ds.multiLabel);
    writeRows(test, ds.test, ds.multiLabel);
    writeFileSync(labels, JSON.stringify(ds.labels));
    const { latencyTexts: n, throughputLines } = sizes(quick);
    const args = [
      '--import',
      'tsx',
      CHILD,
      train,
      test,
      labels,
      model,
      preds,
      `${n}`,
      `${throughputLines}`,
      ds.multiLabel ? 'multi' : 'single',
      `${STUDENT_SEED}`,
    ];
    const out = await runProc(process.execPath, args);
    const measured = JSON.parse(out.stdout.trim().split('\n').pop() as string) as Omit<
      Measured,
      'predictions' | 'settings'
    >;
    const predictions = readFileSync(preds, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as string[]);
    return {
      ...measured,
      predictions,
      settings: {
        kind: 'hashed-linear',
        params: {},
        seed: STUDENT_SEED,
        latencyTexts: Math.min(n, ds.test.length),
        threads: 1,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
