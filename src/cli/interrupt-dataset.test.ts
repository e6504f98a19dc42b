import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TOPIC_LABELS, topicRows, writeJsonl } from '../../test/fixtures/topics.js';
import { runCli, tempDir } from './cli-harness.js';

/**
 * The dataset teacher answers without I/O, so a run on it never waits on the event loop by itself;
 * Ctrl-C must still stop it between rounds instead of after the whole run (the studio's Stop sends
 * the same signal).
 */
const tmp = tempDir('apprentice-interrupt-');
afterAll(() => tmp.cleanup());

beforeAll(() => {
  writeJsonl(path.join(tmp.dir, 'labeled.jsonl'), topicRows(3000, 1));
  writeFileSync(
    path.join(tmp.dir, 'task.json'),
    JSON.stringify({
      name: 'long',
      instruction: 'Route each customer message to the team that handles its topic.',
      labels: TOPIC_LABELS,
      pool: './labeled.jsonl',
      teacher: { model: 'dataset:./labeled.jsonl' },
      budget: { answers: 2800 },
      loop: { initialLabels: 100, answersPerRound: 100, maxRounds: 30, patience: 30 },
    }),
  );
});

describe('Ctrl-C on a dataset-teacher run', () => {
  it('stops it after the round in progress: exit 130, run.json failed as interrupted, fewer rounds than planned', async () => {
    let sent = false;
    const r = await runCli(['distill', 'task.json', '--out', 'run'], {
      cwd: tmp.dir,
      onSpawn: (child) => {
        child.stderr?.on('data', (d: Buffer) => {
          // Plain progress (not a terminal) prints a line per round: stop once round 2 is under way.
          if (!sent && /round 2\b/.test(String(d))) {
            sent = true;
            child.kill('SIGINT');
          }
        });
      },
    });
    expect(sent, r.stderr).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    const run = JSON.parse(readFileSync(path.join(tmp.dir, 'run', 'run.json'), 'utf8'));
    expect(run).toMatchObject({ status: 'failed', error: { code: 'interrupted' } });
    const rounds = readFileSync(path.join(tmp.dir, 'run', 'events.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"round-start"')).length;
    expect(rounds).toBeLessThan(10);
  });
});
