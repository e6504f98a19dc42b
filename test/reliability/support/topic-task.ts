import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOPIC_LABELS, topicRows, writeJsonl } from '../../fixtures/topics.js';

export interface FakeTaskOptions {
  /** `provider:model`; the fake speaks OpenAI Chat Completions. */
  model?: string;
  baseUrl: string;
  budget?: number;
  batchSize?: number;
  concurrency?: number;
  poolSize?: number;
  /** Extra pool texts (e.g. injection attempts), appended to the topic texts. */
  extraPool?: string[];
  /** Extra teacher settings (apiKeyEnv, maxRetries, …). */
  teacher?: Record<string, unknown>;
  /** Loop settings replacing the defaults below. */
  loop?: Record<string, unknown>;
  name?: string;
}

/**
 * Writes a pool, a gold file and a task whose teacher is an LLM at `baseUrl`. Returns the paths and
 * the true label of every pool text, for the fake server to answer from.
 */
export function writeFakeLlmTask(dir: string, options: FakeTaskOptions) {
  const poolRows = topicRows(options.poolSize ?? 240, 1);
  const truth = new Map(poolRows.map((r) => [r.text, r.label]));
  const pool = writeJsonl(join(dir, 'pool.jsonl'), [
    ...poolRows.map((r) => ({ text: r.text })),
    ...(options.extraPool ?? []).map((text) => ({ text })),
  ]);
  const gold = writeJsonl(
    join(dir, 'gold.jsonl'),
    topicRows(80, 2).map((r) => ({ ...r, text: r.text.replace('#', 'g#') })),
  );
  const task = {
    name: options.name ?? 'topics-llm',
    instruction: 'Route each customer message to the team that handles its topic.',
    labels: TOPIC_LABELS.map((name) => ({ name, description: `messages about ${name}` })),
    seeds: [{ text: 'I was charged twice on my invoice', label: 'billing' }],
    pool: './pool.jsonl',
    eval: './gold.jsonl',
    teacher: {
      model: options.model ?? 'openai-compatible:fake',
      baseUrl: options.baseUrl,
      batchSize: options.batchSize ?? 4,
      concurrency: options.concurrency ?? 2,
      maxRetries: 0,
      timeoutMs: 30_000,
      ...options.teacher,
    },
    // A lean student: these runs are about what survives a crash, not accuracy, and a machine
    // shared by many test processes pays for every training pass.
    student: { kind: 'hashed-linear', params: { charMax: 0, folds: 2, maxEpochs: 10, hashBits: 16 } },
    budget: { answers: options.budget ?? 150 },
    loop: {
      initialLabels: 24,
      initialGeneratePerLabel: 2,
      answersPerRound: 24,
      maxRounds: 10,
      patience: 10,
      ...options.loop,
    },
    seed: 7,
  };
  const taskPath = join(dir, 'task.json');
  writeFileSync(taskPath, JSON.stringify(task, null, 2));
  return { taskPath, pool, gold, truth };
}
