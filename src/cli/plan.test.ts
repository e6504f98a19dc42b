import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TOPIC_LABELS, topicRows, writeJsonl } from '../../test/fixtures/topics.js';
import { runCli, tempDir } from './cli-harness.js';

/** `apprentice plan` and the confirmation `distill` asks for; the priced teacher is never reached. */
const tmp = tempDir('apprentice-plan-cli-');
afterAll(() => tmp.cleanup());

beforeAll(() => {
  writeJsonl(
    path.join(tmp.dir, 'pool.jsonl'),
    topicRows(5000, 1).map((r) => ({ text: r.text })),
  );
  writeFileSync(
    path.join(tmp.dir, 'task.json'),
    JSON.stringify({
      name: 'priced',
      instruction: 'Route each customer message to the team that handles its topic.',
      labels: TOPIC_LABELS,
      pool: './pool.jsonl',
      // Nothing listens here: a run that starts would fail at its first request.
      teacher: { model: 'openai:gpt-4o', baseUrl: 'http://127.0.0.1:9/v1', maxRetries: 0 },
      budget: { answers: 3000, confirmAbove: 0.01 },
    }),
  );
});

describe('apprentice plan', () => {
  it('prints answers, requests, tokens, dollars online and in batch mode, and its assumptions', async () => {
    const r = await runCli(['plan', 'task.json', '--json'], { cwd: tmp.dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.answers).toBe(3000);
    expect(plan.requests).toBeGreaterThan(3000 / 10);
    expect(plan.inputTokens).toBeGreaterThan(plan.outputTokens);
    expect(plan.dollars.online).toBeGreaterThan(0.01);
    expect(plan.dollars.batch).toBeCloseTo(plan.dollars.online / 2, 10);
    expect(plan.assumptions.length).toBeGreaterThan(3);

    const human = await runCli(['plan', 'task.json'], { cwd: tmp.dir });
    expect(human.stdout).toMatch(/Cost: \$\d+\.\d\d online, \$\d+\.\d\d in batch mode/);
    expect(human.stdout).toMatch(/Assumptions:/);
  });

  it('distill refuses a run planned above budget.confirmAbove when nobody can confirm, and sends nothing', async () => {
    const r = await runCli(['distill', 'task.json', '--out', 'run'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^plan: up to 3,000 answers/m);
    expect(r.stderr).toMatch(/above budget\.confirmAbove/);
    expect(r.stderr).toMatch(/--yes/);
    expect(existsSync(path.join(tmp.dir, 'run'))).toBe(false);
  });

  it('distill --yes starts the run (which here fails at the unreachable teacher, after planning)', async () => {
    const r = await runCli(['distill', 'task.json', '--out', 'run-yes', '--yes'], {
      cwd: tmp.dir,
      env: { OPENAI_API_KEY: 'sk-test-not-a-real-key' },
    });
    expect(r.stderr).toMatch(/^plan: up to 3,000 answers/m);
    expect(r.code).toBe(4);
    const run = JSON.parse(readFileSync(path.join(tmp.dir, 'run-yes', 'run.json'), 'utf8'));
    expect(run.status).toBe('failed');
  });
});
