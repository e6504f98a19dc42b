import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Emitter } from '../../src/events.js';
import { distill } from '../../src/run/distill.js';
import type { DistillSummary } from '../../src/run/types.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { loadTask } from '../../src/task/load.js';
import { withFaults, type FaultInjector, type FaultOptions } from '../fake-llm/faults.js';
import { batchTexts, generationAsk, labelingAnswer } from '../fake-llm/scripts.js';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import type { FakeHandler } from '../fake-llm/types.js';
import { TOPIC_LABELS, topicRows, writeJsonl } from '../fixtures/topics.js';

/**
 * A teacher that knows the answers: pool texts labeled from their true topic, examples written
 * from the topic vocabularies. Answers depend on the original prompt only (the first user turn),
 * not on correction turns or sampling settings, so a request asked again after an unusable answer
 * gets the answer the first try would have had: a faulty run can end where a clean one does.
 */
export function topicLlm(
  truth: ReadonlyMap<string, string>,
  options: { seen?: Set<string>; delayMs?: number } = {},
): FakeHandler {
  return (req) => {
    const texts = batchTexts(req);
    if (texts) {
      for (const t of texts) options.seen?.add(t);
      return {
        kind: 'answer',
        text: labelingAnswer(req, { answer: (t) => truth.get(t), fallback: TOPIC_LABELS[0] }),
        delayMs: options.delayMs,
      };
    }
    const ask = generationAsk(req);
    if (!ask) return { kind: 'http', status: 400, body: { error: { message: 'topic teacher: unrecognised prompt' } } };
    const prompt = req.messages.find((m) => m.role === 'user')!.content;
    const tag = createHash('sha256').update(prompt).digest('hex').slice(0, 8);
    const rows = topicRows(ask.n * TOPIC_LABELS.length, Number.parseInt(tag, 16)).filter((r) => r.label === ask.label);
    const examples = rows.slice(0, ask.n).map((r, i) => r.text.replace(/#\d+$/, `(${tag}-${i})`));
    return { kind: 'answer', text: JSON.stringify({ examples }), delayMs: options.delayMs };
  };
}

export interface LlmTopicRun {
  dir: string;
  summary: DistillSummary;
  store: MemoryStore;
  fake: FakeLlm;
  faults: FaultInjector;
  /** Pool texts the teacher was asked to label and answered (with a 200, usable or not). */
  asked: Set<string>;
  /** Those asked before round 0 began: the validation split, when there is no eval file. */
  askedBeforeRounds: Set<string>;
  training: { text: string; source: string; labels: string[] }[];
  rejected: { kind: string; input: string; raw: string; reason: string }[];
  model: Buffer;
  teacherEvents: { retries: number; rejected: number };
}

export interface LlmTopicOptions {
  /** Teacher settings over the defaults below (model, batchSize, concurrency, retries, timeouts, …). */
  teacher?: Record<string, unknown>;
  budget?: Record<string, number>;
  faults?: FaultOptions;
  /** Time the fake takes per answer, so concurrent requests overlap at the server. */
  answerDelayMs?: number;
  /** Leave out the eval file: the run validates on a teacher-labeled slice of the pool. */
  noEval?: boolean;
  /** The task's `data` settings (filters, leakage guard, …). */
  data?: Record<string, unknown>;
}

/** Runs `distill` on the topic data with an LLM teacher behind a (possibly faulty) fake server. */
export async function runLlmTopics(dir: string, options: LlmTopicOptions = {}): Promise<LlmTopicRun> {
  const poolRows = topicRows(240, 1);
  const truth = new Map(poolRows.map((r) => [r.text, r.label]));
  const asked = new Set<string>();
  const faults = withFaults(
    topicLlm(truth, { seen: asked, delayMs: options.answerDelayMs }),
    options.faults ?? { rate: 0 },
  );
  const fake = await startFakeLlm(faults.handler);
  try {
    writeJsonl(
      join(dir, 'pool.jsonl'),
      poolRows.map((r) => ({ text: r.text })),
    );
    writeJsonl(
      join(dir, 'gold.jsonl'),
      topicRows(80, 2).map((r) => ({ ...r, text: r.text.replace('#', 'g#') })),
    );
    const task = {
      name: 'topics-llm',
      instruction: 'Route each customer message to the team that handles its topic.',
      labels: TOPIC_LABELS.map((name) => ({ name, description: `messages about ${name}` })),
      seeds: [{ text: 'I was charged twice on my invoice', label: 'billing' }],
      pool: './pool.jsonl',
      ...(options.noEval ? {} : { eval: './gold.jsonl' }),
      teacher: {
        model: 'openai-compatible:fake',
        baseUrl: fake.baseUrl,
        batchSize: 4,
        concurrency: 4,
        ...options.teacher,
      },
      budget: options.budget ?? { answers: 150 },
      loop: { initialLabels: 24, initialGeneratePerLabel: 2, answersPerRound: 24, maxRounds: 10, patience: 10 },
      ...(options.data ? { data: options.data } : {}),
      seed: 7,
    };
    writeFileSync(join(dir, 'task.json'), JSON.stringify(task, null, 2));
    const store = new MemoryStore();
    const teacherEvents = { retries: 0, rejected: 0 };
    let askedBeforeRounds: Set<string> | undefined;
    const emitter = new Emitter();
    emitter.on((e) => {
      if (e.type === 'teacher-retry') teacherEvents.retries++;
      if (e.type === 'teacher-rejected') teacherEvents.rejected++;
      // Everything asked so far has been answered: the loop awaits its validation labels first.
      if (e.type === 'round-start' && !askedBeforeRounds) askedBeforeRounds = new Set(asked);
    });
    const summary = await distill(loadTask(join(dir, 'task.json')), { outDir: join(dir, 'run'), store, emitter });
    const jsonl = (name: string) =>
      readFileSync(join(dir, 'run', name), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
    return {
      dir,
      summary,
      store,
      fake,
      faults,
      asked,
      askedBeforeRounds: askedBeforeRounds ?? new Set(),
      teacherEvents,
      training: jsonl('training.jsonl'),
      rejected: jsonl('rejected.jsonl'),
      model: readFileSync(join(dir, 'run', 'model', 'student.bin')),
    };
  } finally {
    await fake.stop();
  }
}
