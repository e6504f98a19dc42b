import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fakeLlmPerTest } from '../../test/fake-llm/index.js';
import { recordCache } from '../../test/fake-llm/llm-fixture.js';
import { writeFakeLlmTask } from '../../test/reliability/support/topic-task.js';
import { Emitter, type ApprenticeEvent } from '../events.js';
import { MemoryStore } from '../store/memory-store.js';
import { loadTask } from '../task/load.js';
import { distill } from './distill.js';

const t = fakeLlmPerTest('apprentice-abort-');

describe('distill stops a teacher request in flight when its signal aborts', () => {
  it("rejects with the signal's reason after one request, caches nothing and leaves a failed, interrupted run", async () => {
    const controller = new AbortController();
    // The first request is never answered; the stop comes while it is in flight.
    const fake = await t.start(() => {
      controller.abort();
      return { kind: 'hang' };
    });
    // Attempts may outlast the test timeout and retries are plenty: only the signal can end this
    // run in time, so a stop that waited for the attempt would fail the test, not pass slowly.
    const { taskPath } = writeFakeLlmTask(t.dir, {
      baseUrl: fake.baseUrl,
      concurrency: 1,
      teacher: { maxRetries: 5, timeoutMs: 600_000 },
    });
    const store = new MemoryStore();
    const cached = recordCache(store);
    const events: ApprenticeEvent[] = [];
    const emitter = new Emitter();
    emitter.on((e) => events.push(e));
    const out = join(t.dir, 'run');

    const error = await distill(loadTask(taskPath), { outDir: out, store, emitter, signal: controller.signal }).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBe(controller.signal.reason);
    expect((error as Error).name).toBe('AbortError');
    expect(fake.requests).toHaveLength(1);
    expect(cached).toEqual([]);
    expect(events.some((e) => e.type === 'teacher-retry')).toBe(false);
    expect(events.filter((e) => e.type === 'teacher-call-end')).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'run-end', status: 'failed' });

    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ name: 'AbortError', code: 'interrupted' });
    expect(run.error.message).toMatch(/^interrupted/);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
  });
});
