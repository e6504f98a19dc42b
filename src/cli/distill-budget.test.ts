import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TOPIC_LABELS, topicRows, writeJsonl } from '../../test/fixtures/topics.js';
import { runCli, tempDir } from './cli-harness.js';

/**
 * Budgets and data too small to train a student fail loudly instead of "completing" a run that
 * learned nothing. The dataset teacher answers locally, so these runs send no HTTP at all.
 */
const tmp = tempDir();
afterAll(() => tmp.cleanup());

beforeAll(() => {
  writeJsonl(path.join(tmp.dir, 'labeled.jsonl'), topicRows(200, 1));
  writeJsonl(
    path.join(tmp.dir, 'gold.jsonl'),
    topicRows(40, 2).map((r) => ({ ...r, text: r.text.replace('#', 'g#') })),
  );
});

function task(name: string, extra: Record<string, unknown>): string {
  const file = path.join(tmp.dir, `${name}.json`);
  const body = {
    name,
    instruction: 'Route each customer message to the team that handles its topic.',
    labels: TOPIC_LABELS,
    pool: './labeled.jsonl',
    teacher: { model: 'dataset:./labeled.jsonl' },
    budget: { answers: 200 },
    loop: { initialLabels: 24, initialGeneratePerLabel: 2, answersPerRound: 24, maxRounds: 2 },
    student: { kind: 'hashed-linear', params: { charMax: 0, folds: 2, maxEpochs: 5, hashBits: 14 } },
    seed: 3,
    ...extra,
  };
  writeFileSync(file, JSON.stringify(body, null, 2));
  return file;
}

function runJson(out: string): { status: string; error?: { name: string; code: string; message: string } } {
  return JSON.parse(readFileSync(path.join(tmp.dir, out, 'run.json'), 'utf8'));
}

function teacherCalls(out: string): number {
  return readFileSync(path.join(tmp.dir, out, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .filter((line) => JSON.parse(line).type === 'teacher-call-start').length;
}

function expectNoCompleteRun(out: string): void {
  expect(runJson(out).status).toBe('failed');
  expect(existsSync(path.join(tmp.dir, out, 'summary.json'))).toBe(false);
  expect(existsSync(path.join(tmp.dir, out, 'model', 'student.bin'))).toBe(false);
}

describe('distill refuses to call a run complete when it could not train anything', () => {
  // The budget did not run out (nothing was spent): the data is what is short, so a data exit, not a budget one.
  it('--budget-answers 1 with no seeds and no eval file: the validation set is empty, exit 3', async () => {
    const r = await runCli(
      ['distill', task('tiny', {}), '--budget-answers', '1', '--out', 'run-tiny', '--cache', 'c.sqlite', '--quiet'],
      { cwd: tmp.dir },
    );
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: .*validation set is empty/m);
    expect(r.stderr).toMatch(/^ {2}hint: .*budget\.answers.*eval/m);
    expectNoCompleteRun('run-tiny');
    expect(runJson('run-tiny').error).toMatchObject({ name: 'InsufficientDataError', code: 'insufficient-data' });
    // Known before round 0: nothing was spent on a run that could not be judged.
    expect(teacherCalls('run-tiny')).toBe(0);
  });

  it('a budget that buys one row of one label and runs out: the training set covers too few labels, exit 5', async () => {
    const r = await runCli(
      [
        'distill',
        task('one-label', { eval: './gold.jsonl' }),
        '--budget-answers',
        '1',
        '--out',
        'run-one',
        '--cache',
        'c.sqlite',
        '--quiet',
      ],
      { cwd: tmp.dir },
    );
    expect(r.code, r.stderr).toBe(5);
    expect(r.stderr).toMatch(/^error: .*training set has 1 row covering 1 of 4 labels/m);
    expect(r.stderr).toMatch(/^ {2}hint: .*budget\.answers.*seeds.*pool that differs from the eval file/m);
    expectNoCompleteRun('run-one');
    expect(runJson('run-one').error).toMatchObject({ name: 'InsufficientDataError', code: 'insufficient-data' });
  });

  it('a pool that is the eval file is a configuration error naming both fields, before any teacher call, exit 2', async () => {
    const r = await runCli(
      [
        'distill',
        task('pool-is-eval', { eval: './gold.jsonl' }),
        '--pool',
        'gold.jsonl',
        '--out',
        'run-same',
        '--cache',
        'c.sqlite',
        '--quiet',
      ],
      { cwd: tmp.dir },
    );
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^error: every text in pool .* is also in eval /m);
    expect(r.stderr).toMatch(/^ {2}where: .*field `pool`/m);
    expect(r.stderr).toMatch(/^ {2}hint: .*pool .*eval/m);
    expectNoCompleteRun('run-same');
    expect(teacherCalls('run-same')).toBe(0);
  });
});
