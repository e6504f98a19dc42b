import { describe, expect, it, beforeEach } from 'vitest';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distill } from '../run/distill.js';
import { loadTask } from '../task/load.js';
import { MemoryStore } from '../store/memory-store.js';
import { writeTopicTask, topicRows } from '../../test/fixtures/topics.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apprentice-steer-'));
});

const truth = new Map(topicRows(400, 1).map((r) => [r.text, r.label]));

describe('the loop steered by data parts (dataset teacher, offline)', () => {
  it('records per-arm answers, rows and measured gains, and per-filter counts, every round', async () => {
    const { taskPath } = writeTopicTask(dir, {
      budget: 160,
      data: { strategies: ['weak-label', 'hard-negative', 'attribute', 'tree'] },
    });
    const summary = await distill(loadTask(taskPath), { outDir: join(dir, 'run'), store: new MemoryStore() });
    const later = summary.rounds.filter((r) => r.round > 0);
    expect(later.length).toBeGreaterThan(1);
    for (const r of later) {
      expect(Object.keys(r.arms ?? {})).toContain('pool');
      expect(Object.keys(r.filters ?? {})).toEqual(['dedup', 'leakage']);
      const spent = Object.values(r.arms ?? {}).reduce((s, a) => s + a.answers, 0);
      expect(spent).toBeGreaterThan(0);
    }
    // Gains are measured (by ablation) for every arm that added rows after round 0.
    expect(later.some((r) => Object.values(r.arms ?? {}).some((a) => typeof a.gain === 'number'))).toBe(true);
    // Rows name the strategy that produced them.
    const training = readFileSync(join(dir, 'run/training.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const strategies = new Set(training.filter((t) => t.source !== 'seed').map((t) => t.attributes?.strategy));
    expect(strategies.has('pool')).toBe(true);
    expect([...strategies].some((s) => s === 'attribute' || s === 'tree')).toBe(true);
    expect(summary.teacher.answers).toBeLessThanOrEqual(160);
  });

  it('skillProfile report records the profile every round but aims nothing at it; steer with skillSteer generation aims requests at weak clusters', async () => {
    const aimed = async (mode: string) => {
      const at = join(dir, mode);
      const { taskPath } = writeTopicTask(at, {
        budget: 200,
        data: { strategies: ['weak-label'], skillProfile: mode, skillSteer: ['generation'] },
      });
      const summary = await distill(loadTask(taskPath), { outDir: join(at, 'run'), store: new MemoryStore() });
      expect(summary.rounds.every((r) => Array.isArray(r.skills))).toBe(true);
      const training = readFileSync(join(at, 'run/training.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      return training.filter((t) => t.attributes?.strategy === 'weak-label' && t.attributes?.cluster !== undefined)
        .length;
    };
    expect(await aimed('report')).toBe(0);
    expect(await aimed('steer')).toBeGreaterThan(0);
  });

  it('steer (default skillSteer: pool) sends other pool texts to the teacher than report does, and the report says so', async () => {
    const run = async (mode: string) => {
      const at = join(dir, `pool-${mode}`);
      const { taskPath } = writeTopicTask(at, {
        budget: 200,
        data: { strategies: ['weak-label'], skillProfile: mode },
      });
      const summary = await distill(loadTask(taskPath), { outDir: join(at, 'run'), store: new MemoryStore() });
      const training = readFileSync(join(at, 'run/training.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const pool = training.filter((t) => t.source === 'pool' && t.round > 1).map((t) => t.text as string);
      return { summary, pool, report: readFileSync(join(at, 'run/report.html'), 'utf8') };
    };
    const report = await run('report');
    const steer = await run('steer');
    // Round 1 is chosen before any profile exists; from round 2 the weak skills take a share.
    expect(steer.pool.length).toBeGreaterThan(0);
    expect(steer.pool.some((t) => !report.pool.includes(t))).toBe(true);
    expect(steer.report).toContain('a share of each round’s pool picks went to the values with the most errors');
    expect(report.report).toContain('Measured for this report only');
  });

  it('without a pool, every round’s answers go to the strategies (none is held back for pool labeling)', async () => {
    const { taskPath } = writeTopicTask(dir, {
      budget: 120,
      noPool: true,
      data: { strategies: ['weak-label', 'hard-negative'] },
    });
    const summary = await distill(loadTask(taskPath), { outDir: join(dir, 'run'), store: new MemoryStore() });
    const later = summary.rounds.filter((r) => r.round > 0);
    expect(later.length).toBeGreaterThan(0);
    for (const r of later) {
      expect(Object.keys(r.arms ?? {})).not.toContain('pool');
      const spent = Object.values(r.arms ?? {}).reduce((s, a) => s + a.answers, 0);
      // 24 answers a round, all of them asked (the last round may be cut by the budget).
      if (r !== later.at(-1)) expect(spent).toBe(24);
    }
    expect(summary.teacher.answers).toBe(120);
  });

  it('relabel mode: a noisy teacher’s flagged labels get a second opinion from a stronger teacher and are repaired', async () => {
    const { taskPath, labeled } = writeTopicTask(dir, {
      budget: 260,
      noise: 0.25,
      data: { labelNoise: 'relabel', reviewTeacher: 'dataset:./labeled.jsonl' },
    });
    const summary = await distill(loadTask(taskPath), { outDir: join(dir, 'run'), store: new MemoryStore() });
    expect(labeled).toContain('labeled.jsonl');
    const checks = summary.rounds.map((r) => r.labelNoise).filter((x) => x !== undefined);
    const flagged = checks.reduce((s, c) => s + c!.flagged, 0);
    const relabeled = checks.reduce((s, c) => s + c!.relabeled, 0);
    expect(flagged).toBeGreaterThan(0);
    expect(relabeled).toBeGreaterThan(0);
    const training = readFileSync(join(dir, 'run/training.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const repaired = training.filter((t) => t.attributes?.relabeledFrom !== undefined);
    expect(repaired.length).toBe(relabeled);
    // The stronger teacher is noise-free: every repaired row now carries its true label.
    for (const t of repaired) expect(t.labels).toEqual([truth.get(t.text)]);
    expect(summary.teacher.answers).toBeLessThanOrEqual(260);
  });

  it('review mode writes the flagged rows to review.jsonl and changes no label', async () => {
    const { taskPath } = writeTopicTask(dir, { budget: 200, noise: 0.25, data: { labelNoise: 'review' } });
    const summary = await distill(loadTask(taskPath), { outDir: join(dir, 'run'), store: new MemoryStore() });
    expect(existsSync(join(dir, 'run/review.jsonl'))).toBe(true);
    const lines = readFileSync(join(dir, 'run/review.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(lines.length).toBe(summary.rounds.reduce((s, r) => s + (r.labelNoise?.flagged ?? 0), 0));
    expect(lines.length).toBeGreaterThan(0);
    const training = readFileSync(join(dir, 'run/training.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // Flags are enriched for rows the noisy teacher got wrong: the wrong-label rate among flagged
    // rows is well above the rate among the rows that were not flagged.
    const flaggedTexts = new Set(lines.map((l) => l.text));
    const isWrong = (t: { text: string; labels: string[] }) => truth.get(t.text) !== t.labels[0];
    // Pool rows only: the dataset teacher's noise touches its label answers, not the rows it hands out.
    const teacherRows = training.filter((t) => t.source === 'pool' && truth.has(t.text));
    const flaggedRows = teacherRows.filter((t) => flaggedTexts.has(t.text));
    const others = teacherRows.filter((t) => !flaggedTexts.has(t.text));
    const rate = (rows: typeof teacherRows) => rows.filter(isWrong).length / Math.max(1, rows.length);
    expect(flaggedRows.length).toBeGreaterThan(0);
    expect(rate(flaggedRows)).toBeGreaterThan(1.5 * rate(others));
    expect(training.some((t) => t.attributes?.relabeledFrom !== undefined)).toBe(false);
  });
});
