import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOPIC_LABELS, topicRows, writeJsonl } from '../../fixtures/topics.js';

/** Pool texts of the dataset tasks below: few enough that round 0 labels every one of them. */
export const POOL_TEXTS = topicRows(24, 1).map((r) => r.text);

/**
 * A small offline task (dataset teacher) in `dir`, with a pool file the caller writes. Round 0
 * labels the whole pool, so every pool text shows up in training.jsonl exactly as it was read.
 */
export function writeDatasetTask(dir: string, options: { pool?: string; task?: Record<string, unknown> } = {}): string {
  writeJsonl(join(dir, 'labeled.jsonl'), topicRows(200, 1));
  writeJsonl(
    join(dir, 'gold.jsonl'),
    topicRows(40, 2).map((r) => ({ ...r, text: r.text.replace('#', 'g#') })),
  );
  const task = {
    name: 'bad-input',
    instruction: 'Route each customer message to the team that handles its topic.',
    labels: TOPIC_LABELS,
    pool: options.pool ?? './pool.jsonl',
    eval: './gold.jsonl',
    teacher: { model: 'dataset:./labeled.jsonl' },
    student: { kind: 'hashed-linear', params: { charMax: 0, folds: 2, maxEpochs: 10, hashBits: 16 } },
    budget: { answers: 40 },
    loop: { initialLabels: 24, initialGeneratePerLabel: 2, answersPerRound: 8, maxRounds: 1 },
    seed: 3,
    ...options.task,
  };
  const file = join(dir, 'task.json');
  writeFileSync(file, JSON.stringify(task, null, 2));
  return file;
}
