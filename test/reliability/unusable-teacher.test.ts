import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../../src/cli/cli-harness.js';
import { REJECTION_RULE } from '../../src/loop/rejection-watch.js';
import { batchTexts, startFakeLlm, type FakeLlm, type FakeLlmRequest } from '../fake-llm/index.js';
import { topicTeacher } from './support/topic-teacher.js';
import { writeFakeLlmTask } from './support/topic-task.js';

/**
 * A teacher whose answers cannot be used stops the run (src/loop/rejection-watch.ts), tried as a new
 * user would: the real CLI against an OpenAI-compatible server over HTTP. A model that numbers every
 * item of a batch "1" must not end `complete` with a student trained on nothing, nor blame the
 * budget; a teacher with a few bad answers among good ones must not be stopped.
 */

let tmp: ReturnType<typeof tempDir>;
let fake: FakeLlm;
/** Texts the server was asked to label. */
let sentForLabeling = 0;
beforeEach(async () => {
  sentForLabeling = 0;
  tmp = tempDir('apprentice-unusable-');
  fake = await startFakeLlm();
});
afterEach(async () => {
  await fake.stop();
  tmp.cleanup();
});

/** The honest topic teacher's labeling answers, passed through `change` (its generation is left alone). */
function rewritingLabels(
  truth: ReadonlyMap<string, string>,
  change: (items: { id: string; label: string }[]) => void,
): (req: FakeLlmRequest) => ReturnType<ReturnType<typeof topicTeacher>> {
  const honest = topicTeacher({ truth });
  return (req) => {
    const reply = honest(req);
    sentForLabeling += batchTexts(req)?.length ?? 0;
    if (!batchTexts(req) || typeof reply !== 'string') return reply;
    const answer = JSON.parse(reply) as { items: { id: string; label: string }[] };
    change(answer.items);
    return JSON.stringify(answer);
  };
}

const runJson = () => JSON.parse(readFileSync(join(tmp.dir, 'run', 'run.json'), 'utf8'));
const distill = () =>
  runCli(['distill', 'task.json', '--out', 'run', '--cache', 'cache.sqlite', '--quiet'], { cwd: tmp.dir });

describe('a teacher whose answers are unusable (fake OpenAI-compatible server, real CLI)', () => {
  it('numbering every item of a batch "1": stops with exit 4, run.json failed, the counts, reasons and a raw answer', async () => {
    const task = writeFakeLlmTask(tmp.dir, {
      baseUrl: fake.baseUrl,
      budget: 300,
      batchSize: 10,
      loop: { initialLabels: 100, initialGeneratePerLabel: 2, answersPerRound: 50 },
    });
    fake.handler = rewritingLabels(task.truth, (items) => {
      for (const item of items) item.id = '1';
    });

    const r = await distill();
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/the teacher's answers are unusable: (\d+) of its last (\d+) answers were rejected/);
    // The two commonest reasons, each with a raw answer the model gave.
    expect(r.stderr).toMatch(/"no answer for text \d+" \(\d+×\), for example: \{"items":\[\{"id":"1"/);
    expect(r.stderr).toMatch(/"text 1 was answered 10 times" \(\d+×\), for example: \[\{"id":"1"/);
    expect(r.stderr).toMatch(/hint: .*teacher\.batchSize/);
    expect(r.stderr).not.toMatch(/budget ran out|raise budget/);

    const run = runJson();
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'teacher-unusable', name: 'TeacherUnusableError' });
    expect(run.error.message).toMatch(/of its last 100 answers were rejected \(\d+ of \d+ in this run\)/);
    expect(existsSync(join(tmp.dir, 'run', 'summary.json'))).toBe(false);
    // It stopped on round 0's pool labels, long before the 300 answers of the budget were spent.
    expect(sentForLabeling).toBe(100);
  }, 300_000);

  it('a few rejected answers among good ones: the run completes as usual, the rejections recorded', async () => {
    const task = writeFakeLlmTask(tmp.dir, {
      baseUrl: fake.baseUrl,
      budget: 200,
      batchSize: 10,
      loop: { initialLabels: 60, initialGeneratePerLabel: 2, answersPerRound: 40, maxRounds: 3 },
    });
    // One answer in ten names a label outside the task's set: well under the rule's share.
    let seen = 0;
    fake.handler = rewritingLabels(task.truth, (items) => {
      for (const item of items) if (++seen % 10 === 0) item.label = 'refund-approved';
    });

    const r = await distill();
    expect(r.code, r.stderr).toBe(0);
    expect(runJson().status).toBe('complete');
    const rejected = readFileSync(join(tmp.dir, 'run', 'rejected.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(rejected.length).toBeGreaterThanOrEqual(REJECTION_RULE.minAnswers / 10);
    expect(rejected.every((l) => /is not one of the task's labels/.test(l))).toBe(true);
    expect(sentForLabeling).toBeGreaterThan(REJECTION_RULE.window);
  }, 300_000);
});
