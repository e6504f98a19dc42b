import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FAULT_KINDS } from '../fake-llm/faults.js';
import { runLlmTopics } from './llm-topics.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'apprentice-anthropic-faults-'));

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('distill with an Anthropic teacher that fails 30% of the time', () => {
  it('completes within the cap, with every 200 in the ledger and every answered text kept', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', 'sk-ant-reliability-0123456789');
    const run = await runLlmTopics(tmp(), {
      teacher: {
        model: 'anthropic:claude-fake',
        maxRetries: 12,
        maxOutputRetries: 5,
        retryBaseMs: 2,
        timeoutMs: 2000,
        concurrency: 4,
      },
      budget: { answers: 60 },
      faults: { rate: 0.3, seed: 21, kinds: Object.fromEntries(FAULT_KINDS.map((k) => [k, 1])) },
    });
    expect(run.summary.status).toBe('complete');
    expect(run.summary.teacher.answers).toBe(60);
    expect(run.fake.requests.every((r) => r.path === '/v1/messages')).toBe(true);
    expect(run.fake.requests.length).toBeGreaterThan(run.faults.injected.none);

    const totals = run.store.totals(run.summary.runId);
    expect(totals.paidRequests).toBe(run.fake.outcomes['200']);
    expect(totals.httpRequests).toBeGreaterThanOrEqual(run.fake.requests.length);
    const texts = run.training.map((t) => t.text);
    expect(new Set(texts).size).toBe(texts.length);
    const kept = new Set([...texts, ...run.rejected.map((r) => r.input)]);
    expect([...run.asked].filter((t) => !kept.has(t))).toEqual([]);
  });
});
