import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeRows, type Dataset } from '../lib/datasets.js';
import { runProc } from '../lib/proc.js';
import { SYSTEM_PYTHON } from '../lib/setup.js';
import { sizes } from '../lib/measure.js';
import type { Measured } from '../lib/types.js';

const SCRIPT = fileURLToPath(new URL('./sklearn_peer.py', import.meta.url));

export async function runSklearn(ds: Dataset, kind: 'svm' | 'lr', quick: boolean): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), `bench-sk-${ds.name}-`));
  try {
    const train = join(dir, 'train.jsonl');
    const test = join(dir, 'test.jsonl');
    const preds = join(dir, 'pred.jsonl');
    writeRows(train, ds.train, ds.multiLabel);
    writeRows(test, ds.test, ds.multiLabel);
    const { latencyTexts: n, throughputLines } = sizes(quick);
    const args = [
      SCRIPT,
      train,
      test,
      kind,
      preds,
      `${n}`,
      `${throughputLines}`,
      ...(ds.multiLabel ? ['--multilabel'] : []),
    ];
    const out = await runProc(SYSTEM_PYTHON, args);
    const m = JSON.parse(out.stdout.trim().split('\n').pop() as string) as Omit<
      Measured,
      'predictions' | 'settings'
    > & { sklearn: string };
    const predictions = readFileSync(preds, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as string[]);
    const { sklearn, ...measured } = m;
    return {
      ...measured,
      predictions,
      settings: {
        sklearn,
        vectorizer: 'TfidfVectorizer(ngram_range=(1,2), sublinear_tf=True)',
        classifier: kind === 'svm' ? 'LinearSVC(C=1)' : 'LogisticRegression(C=10, max_iter=1000)',
        multiLabel: ds.multiLabel ? 'OneVsRestClassifier' : null,
        latencyTexts: Math.min(n, ds.test.length),
        threads: 1,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
