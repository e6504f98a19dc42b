import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach } from 'vitest';
import { llmFixture, type FixtureOptions, type LlmFixture } from '../../../test/fake-llm/llm-fixture.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { batchTexts, generationAsk, labelingAnswer } from '../../../test/fake-llm/scripts.js';
import type { FakeHandler, FakeLlmRequest } from '../../../test/fake-llm/types.js';
import { MemoryStore } from '../../store/memory-store.js';
import { DataSettingsSchema, LoopSettingsSchema, TeacherSettingsSchema, type Task } from '../../task/schema.js';
import { CallGate } from '../../teacher/call-gate.js';
import { createDatasetTeacher } from '../../teacher/dataset-teacher.js';
import type { Teacher, TeacherTaskContext } from '../../teacher/types.js';
import { normalizeText } from '../../read/read-records.js';
import { Rng } from '../../util/random.js';
import type { KnownRows, StrategyContext, Weaknesses } from './types.js';

/**
 * Building blocks for strategy tests: a whole Task from a teacher's task context, the training
 * set as a strategy sees it, and a dataset teacher over rows written to a temporary file.
 */

export function taskFor(
  context: TeacherTaskContext,
  options: { data?: Record<string, unknown>; model?: string; teacher?: Record<string, unknown> } = {},
): Task {
  return {
    name: 'strategy-test',
    instruction: context.instruction,
    multiLabel: context.multiLabel,
    labels: context.labels,
    seeds: context.seeds ?? [],
    teacher: TeacherSettingsSchema.parse({ model: options.model ?? 'openai:gpt-4o-mini', ...options.teacher }),
    student: { kind: 'hashed-linear', params: {} },
    budget: {},
    loop: LoopSettingsSchema.parse({}),
    data: DataSettingsSchema.parse(options.data ?? {}),
    seed: 42,
  };
}

export function knownRows(
  seeds: { text: string; labels: string[] }[],
  rows: { text: string; labels: string[]; attributes?: Record<string, string> }[] = [],
): KnownRows {
  const all = [...seeds, ...rows];
  const texts = new Set(all.map((r) => normalizeText(r.text)));
  return { seeds, rows: all, has: (text) => texts.has(normalizeText(text)) };
}

export const NO_WEAKNESSES: Weaknesses = { weakest: [], confusedPairs: [], weakSkills: [] };

export function contextFor(
  task: Task,
  teacher: Teacher,
  options: {
    weaknesses?: Partial<Weaknesses>;
    rows?: { text: string; labels: string[] }[];
    round?: number;
    seed?: number;
  } = {},
): StrategyContext {
  return {
    task,
    teacher,
    round: options.round ?? 1,
    rng: new Rng(options.seed ?? 7),
    weaknesses: { ...NO_WEAKNESSES, ...options.weaknesses },
    known: knownRows(task.seeds, options.rows ?? []),
  };
}

/** A dataset teacher over `rows`, written to a fresh temporary JSONL file. */
export function datasetTeacherOver(rows: { text: string; label: string }[], context: TeacherTaskContext, seed = 42) {
  const dir = mkdtempSync(join(tmpdir(), 'apprentice-strategy-'));
  const file = join(dir, 'labeled.jsonl');
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
  const store = new MemoryStore();
  const gate = new CallGate({ store, runId: 'run-1', teacherId: `dataset:${file}`, budget: {} });
  const settings = TeacherSettingsSchema.parse({ model: `dataset:${file}` });
  const teacher = createDatasetTeacher(settings, { task: context, gate, seed });
  return { teacher, gate, store, file, dir };
}

// Moved to src/text (clustering tests use them without the strategy layer); re-exported for the strategy tests.
export { TOPICS, topicRows } from '../../text/topic-rows.fixture.js';

/** The first user turn of a request: the question or the generation prompt. */
export function userPrompt(req: FakeLlmRequest): string {
  return req.messages.find((m) => m.role === 'user')?.content ?? '';
}

export function systemPrompt(req: FakeLlmRequest): string {
  return req.messages.find((m) => m.role === 'system')?.content ?? '';
}

export type RequestKind = 'label' | 'generate' | 'attributes' | 'partition' | 'extract' | 'unknown';

/** What a request asks for, read back from the strategies' own prompts. */
export function kindOf(req: FakeLlmRequest): RequestKind {
  if (batchTexts(req)) return 'label';
  if (generationAsk(req)) return 'generate';
  const user = userPrompt(req);
  if (user.startsWith('Propose the attribute dimensions')) return 'attributes';
  if (user.startsWith('Partition the texts of each label')) return 'partition';
  if (user.startsWith('Here are texts labeled')) return 'extract';
  return 'unknown';
}

/** Labels listed in a partition question. */
export function partitionLabels(req: FakeLlmRequest): string[] {
  const line = /^Labels: (.*)$/m.exec(userPrompt(req))?.[1] ?? '';
  return JSON.parse(`[${line}]`) as string[];
}

/** Texts quoted in an extraction question, or listed under a heading of a generation prompt. */
export function listedTexts(prompt: string, heading: string): string[] {
  const start = prompt.indexOf(heading);
  if (start < 0) return [];
  const lines = prompt.slice(start).split('\n').slice(1);
  const out: string[] = [];
  for (const line of lines) {
    const m = /^- (".*")$/.exec(line);
    if (!m) break;
    out.push(JSON.parse(m[1]) as string);
  }
  return out;
}

export interface Script {
  attributes?: () => unknown;
  partition?: (labels: string[]) => unknown;
  extract?: (label: string, texts: string[]) => unknown;
  /** Examples for one generation request; default: distinct made-up texts. */
  generate?: (label: string, n: number, prompt: string) => string[];
  label?: (text: string) => string;
}

/** A well-behaved teacher for every question the strategies ask; every request is kept for the test to read. */
export function scriptedTeacher(script: Script, seen: FakeLlmRequest[] = []): FakeHandler {
  let made = 0;
  return (req) => {
    seen.push(req);
    const kind = kindOf(req);
    const prompt = userPrompt(req);
    if (kind === 'label') return labelingAnswer(req, { answer: (t) => script.label?.(t), fallback: 'other' });
    if (kind === 'generate') {
      const { label, n } = generationAsk(req)!;
      const examples =
        script.generate?.(label, n, prompt) ?? Array.from({ length: n }, () => `made-up ${label} text ${++made}`);
      return JSON.stringify({ examples });
    }
    if (kind === 'attributes' && script.attributes) return JSON.stringify(script.attributes());
    if (kind === 'partition' && script.partition) return JSON.stringify(script.partition(partitionLabels(req)));
    if (kind === 'extract' && script.extract) {
      const label = JSON.parse(/^Here are texts labeled (".*?"),/.exec(prompt)![1]) as string;
      return JSON.stringify(script.extract(label, listedTexts(prompt, 'Here are texts labeled')));
    }
    return {
      kind: 'http',
      status: 400,
      body: { error: { message: `scripted teacher: no answer for a ${kind} request` } },
    };
  };
}

/**
 * A test file's fake-teacher lifecycle: `llm(handler)` starts an LLM teacher over the fake HTTP
 * server (with `defaults`, or the options given), `keep(dir)` registers a temporary directory; both
 * are cleaned up after each test.
 */
export function strategyHarness(defaults: FixtureOptions): {
  llm: (handler: FakeHandler, options?: FixtureOptions) => Promise<LlmFixture>;
  keep: (dir: string) => void;
} {
  let current: LlmFixture | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    await current?.stop();
    current = undefined;
    dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
  });
  return {
    llm: async (handler, options = defaults) => (current = await llmFixture(handler, options)),
    keep: (dir) => {
      dirs.push(dir);
    },
  };
}
