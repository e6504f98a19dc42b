import { Emitter, type ApprenticeEvent } from '../../src/events.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { TeacherSettingsSchema } from '../../src/task/schema.js';
import { CallGate } from '../../src/teacher/call-gate.js';
import { LlmTeacher } from '../../src/teacher/llm-teacher.js';
import type { TeacherTaskContext } from '../../src/teacher/types.js';
import type { Budget, Price } from '../../src/task/schema.js';
import type { CachedResponse } from '../../src/store/types.js';
import { startFakeLlm, type FakeLlm } from './server.js';
import type { FakeHandler } from './types.js';

export const FIXTURE_KEYS = {
  OPENAI_API_KEY: 'sk-fixture-0123456789abcdef',
  ANTHROPIC_API_KEY: 'sk-ant-fixture-0123456789',
};

export const FIXTURE_TASK: TeacherTaskContext = {
  instruction: 'Route each customer support message to the team that should handle it.',
  labels: [{ name: 'billing' }, { name: 'bug' }, { name: 'other' }],
  multiLabel: false,
};

export interface LlmFixture {
  fake: FakeLlm;
  teacher: LlmTeacher;
  gate: CallGate;
  store: MemoryStore;
  emitter: Emitter;
  events: ApprenticeEvent[];
  /** The `request` of every gate call, as the gate hashed it. */
  gateRequests: unknown[];
  /** Every entry written to the cache. */
  cached: { key: string; response: CachedResponse }[];
  /** A second teacher on the same server and store, for replay checks (new run, new gate). */
  rerun(): { teacher: LlmTeacher; gate: CallGate };
  stop(): Promise<void>;
}

export interface FixtureOptions {
  settings?: Record<string, unknown>;
  task?: TeacherTaskContext;
  budget?: Budget;
  /** The teacher's price, so the gate counts dollars (default: none, answers cost nothing). */
  price?: Price;
  env?: NodeJS.ProcessEnv;
  /** The run's stop signal, passed to the teacher. */
  signal?: AbortSignal;
}

/** Every entry the store is asked to cache from now on, in order (the store still caches them). */
export function recordCache(store: MemoryStore): { key: string; response: CachedResponse }[] {
  const cached: { key: string; response: CachedResponse }[] = [];
  const put = store.putCached.bind(store);
  store.putCached = (key, response) => {
    cached.push({ key, response: structuredClone(response) });
    put(key, response);
  };
  return cached;
}

/** An LlmTeacher talking real HTTP to a fresh fake server, with everything observable. */
export async function llmFixture(handler: FakeHandler, options: FixtureOptions = {}): Promise<LlmFixture> {
  const fake = await startFakeLlm(handler);
  const store = new MemoryStore();
  const emitter = new Emitter();
  const events: ApprenticeEvent[] = [];
  emitter.on((e) => events.push(e));
  const gateRequests: unknown[] = [];
  const cached = recordCache(store);
  const settings = TeacherSettingsSchema.parse({
    model: 'openai:gpt-4o-mini',
    baseUrl: fake.baseUrl,
    ...options.settings,
  });

  const build = (runId: string) => {
    const gate = new CallGate({
      store,
      runId,
      teacherId: settings.model,
      budget: options.budget ?? {},
      ...(options.price ? { price: options.price } : {}),
      emitter,
    });
    const run = gate.run.bind(gate);
    gate.run = (call) => {
      gateRequests.push(structuredClone(call.request));
      return run(call);
    };
    const teacher = new LlmTeacher({
      settings,
      task: options.task ?? FIXTURE_TASK,
      gate,
      emitter,
      env: options.env ?? FIXTURE_KEYS,
      signal: options.signal,
    });
    return { teacher, gate };
  };

  const first = build('run-1');
  let runs = 1;
  return {
    fake,
    store,
    emitter,
    events,
    gateRequests,
    cached,
    ...first,
    rerun: () => build(`run-${++runs}`),
    stop: () => fake.stop(),
  };
}
