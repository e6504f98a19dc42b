import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SqliteStore } from '../store/sqlite-store.js';
import { REPO_ROOT, runCli, tempDir } from './cli-harness.js';

const EXAMPLE = path.join(REPO_ROOT, 'examples', 'support-routing', 'task.yaml');
const tmp = tempDir();
afterAll(() => tmp.cleanup());
const cache = path.join(tmp.dir, 'cache.sqlite');

interface Summary {
  runId: string;
  dir: string;
  status: string;
  stopReason: string;
  final: { accuracy: number; macroF1: number; n: number; perLabel: unknown[] };
  teacher: { answers: number; requests: number; cacheHits: number; dollars: number };
  rounds: { round: number; answers: number }[];
}

let first: Summary | undefined;

describe('apprentice distill on the support-routing example', () => {
  it('--json prints exactly one JSON summary on stdout', async () => {
    const r = await runCli(['distill', EXAMPLE, '--out', 'run1', '--cache', cache, '--json'], { cwd: tmp.dir });
    expect(r.code, r.stderr).toBe(0);
    first = JSON.parse(r.stdout) as Summary;
    expect(first.status).toBe('complete');
    expect(first.final.accuracy).toBeGreaterThan(0.6);
    expect(first.final.macroF1).toBeGreaterThan(0.55);
    expect(first.final.n).toBe(132);
    expect(first.teacher.answers).toBeGreaterThan(0);
    expect(first.teacher.answers).toBeLessThanOrEqual(300);
    expect(first.teacher.requests).toBe(0); // the dataset teacher sends no HTTP requests
    expect(first.teacher.dollars).toBe(0);
    expect(typeof first.teacher.cacheHits).toBe('number');
    expect(first.rounds.length).toBeGreaterThan(0);
    expect(first.dir).toBe(path.join(tmp.dir, 'run1'));
    for (const f of ['model/student.bin', 'model/card.json', 'report.html', 'summary.json', 'events.jsonl']) {
      expect(existsSync(path.join(first.dir, f)), f).toBe(true);
    }
    // Progress went to stderr, as plain lines (not a TTY).
    expect(r.stderr).toMatch(/round \d+/);
    expect(r.stderr).not.toContain('\r');
  });

  it('the same command again with the same cache is answered entirely from the cache', async () => {
    const r = await runCli(['distill', EXAMPLE, '--out', 'run2', '--cache', cache, '--json', '--quiet'], {
      cwd: tmp.dir,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const again = JSON.parse(r.stdout) as Summary;
    expect(again.teacher.requests).toBe(0);
    expect(again.teacher.dollars).toBe(0);
    expect(again.teacher.answers).toBe(first!.teacher.answers);
    // Same seed, same cache: the same answers, so the same student.
    expect(again.final.accuracy).toBe(first!.final.accuracy);

    const store = new SqliteStore(cache);
    try {
      const t = store.totals(again.runId);
      expect(t.calls).toBeGreaterThan(0);
      expect(t.cacheHits).toBe(t.calls);
      expect(again.teacher.cacheHits).toBe(t.calls);
      expect(t.httpRequests).toBe(0);
      expect(t.paidRequests).toBe(0);
      expect(t.dollars).toBe(0);
    } finally {
      store.close();
    }
  });

  it('prints a human summary without --json, and refuses to replace a finished run without --overwrite', async () => {
    const refused = await runCli(['distill', EXAMPLE, '--out', 'run1', '--cache', cache, '--quiet'], { cwd: tmp.dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--overwrite');

    const r = await runCli(['distill', EXAMPLE, '--out', 'run1', '--cache', cache, '--quiet', '--overwrite'], {
      cwd: tmp.dir,
    });
    expect(r.code, r.stderr).toBe(0);
    for (const word of [
      'accuracy',
      'macro-F1',
      'answers',
      'requests',
      'cache hits',
      'dollars',
      'stopped because',
      'run directory',
      'report',
    ]) {
      expect(r.stdout).toContain(word);
    }
    const summary = JSON.parse(readFileSync(path.join(tmp.dir, 'run1', 'summary.json'), 'utf8')) as Summary;
    expect(r.stdout).toContain(summary.final.accuracy.toFixed(3));
  });

  it('flags override the task file', async () => {
    const r = await runCli(
      [
        'distill',
        EXAMPLE,
        '--out',
        'run3',
        '--cache',
        cache,
        '--json',
        '--quiet',
        '--budget-answers',
        '150',
        '--seed',
        '3',
      ],
      { cwd: tmp.dir },
    );
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as Summary;
    expect(s.teacher.answers).toBeLessThanOrEqual(150);
  });
});
