import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../src/util/random.js';
import { splitByText } from './split.js';

export const REPO_ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
/**
 * Where the datasets live: APPRENTICE_DATASETS when set (a git worktree beside the main checkout does
 * not have ../shared next to it), else ../shared/datasets relative to the repository root.
 */
export const DATASETS_DIR = process.env.APPRENTICE_DATASETS
  ? resolve(process.env.APPRENTICE_DATASETS)
  : resolve(REPO_ROOT, '../shared/datasets');

export const DATASETS = ['banking77', 'trec', 'sst2', 'emotion', 'sms_spam', 'imdb', 'goemotions', 'ag_news'] as const;
export type DatasetName = (typeof DATASETS)[number];

/** ag_news ships only its test split; we split it ourselves, so its figures are not comparable to published ones. */
const SPLIT_FROM_TEST: Partial<Record<DatasetName, number>> = { ag_news: 0.8 };
const SPLIT_SEED = 42;
/** Sets without a published validation split get one carved from train: this share, this seed. */
export const VALIDATION_SHARE = 0.1;
export const VALIDATION_SEED = 43;

/** Quick mode keeps runs to minutes: a fixed-seed sample of each split. */
export const QUICK_LIMITS = { train: 2000, test: 500 };

export interface Row {
  text: string;
  labels: string[];
}

export interface Dataset {
  name: DatasetName;
  multiLabel: boolean;
  /** Label names, sorted, from train and test together (a test-only label still counts in macro-F1). */
  labels: string[];
  train: Row[];
  test: Row[];
  /** How the split was made when it is not the published one. */
  note?: string;
  /**
   * Where hyperparameters are tuned: every model is fit on `fit` and scored on `validation`, never
   * on test. The final models then train on all of `train`.
   */
  tuning: Tuning;
}

export interface Tuning {
  fit: Row[];
  validation: Row[];
  /** `published` (the set's own validation.jsonl) or `carved` from train with `seed` and `share`. */
  source: 'published' | 'carved';
  seed: number | null;
  share: number | null;
}

function readJsonl(file: string): Row[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((line) => {
      const o = JSON.parse(line) as { text: string; label?: string; labels?: string[] };
      return { text: o.text, labels: o.labels ?? [o.label as string] };
    });
}

function sample(rows: Row[], k: number, seed: number): Row[] {
  return rows.length <= k ? rows : new Rng(seed).sample(rows, k);
}

export function loadDataset(name: DatasetName, quick: boolean): Dataset {
  const dir = join(DATASETS_DIR, name);
  let train: Row[];
  let test: Row[];
  let note: string | undefined;
  const share = SPLIT_FROM_TEST[name];
  if (share !== undefined) {
    const all = new Rng(SPLIT_SEED).shuffle(readJsonl(join(dir, 'test.jsonl')));
    const cut = Math.round(all.length * share);
    train = all.slice(0, cut);
    test = all.slice(cut);
    note = `non-standard split: the published test set, shuffled (seed ${SPLIT_SEED}) and cut ${share * 100}/${100 - share * 100}`;
  } else {
    train = readJsonl(join(dir, 'train.jsonl'));
    test = readJsonl(join(dir, 'test.jsonl'));
  }
  let published = existsSync(join(dir, 'validation.jsonl')) ? readJsonl(join(dir, 'validation.jsonl')) : null;
  if (quick) {
    train = sample(train, QUICK_LIMITS.train, SPLIT_SEED);
    test = sample(test, QUICK_LIMITS.test, SPLIT_SEED + 1);
    if (published) published = sample(published, QUICK_LIMITS.test, SPLIT_SEED + 2);
  }
  const tuning: Tuning = published
    ? { fit: train, validation: published, source: 'published', seed: null, share: null }
    : {
        ...carveValidation(train, VALIDATION_SHARE, VALIDATION_SEED),
        source: 'carved',
        seed: VALIDATION_SEED,
        share: VALIDATION_SHARE,
      };
  const labels = [...new Set([...train, ...test].flatMap((r) => r.labels))].sort();
  return { name, multiLabel: name === 'goemotions', labels, train, test, note, tuning };
}

/** A seeded share of train held out for tuning; rows with the same text stay on one side. */
export function carveValidation(rows: readonly Row[], share: number, seed: number): { fit: Row[]; validation: Row[] } {
  const held = new Set(
    splitByText(
      rows.map((r) => r.text),
      share,
      seed,
    ).held,
  );
  return { fit: rows.filter((_, i) => !held.has(i)), validation: rows.filter((_, i) => held.has(i)) };
}

/** JSONL in the datasets' own format, so every peer and the loop read identical rows. */
export function writeRows(file: string, rows: readonly Row[], multiLabel: boolean): void {
  const lines = rows.map((r) =>
    JSON.stringify(multiLabel ? { text: r.text, labels: r.labels } : { text: r.text, label: r.labels[0] }),
  );
  writeFileSync(file, `${lines.join('\n')}\n`);
}
