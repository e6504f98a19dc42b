import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSyntheticConll } from '../../../../test/fixtures/conll.js';
import { DatasetExtractTeacher } from '../../../data/extract/dataset-extract-teacher.js';
import { MemoryStore } from '../../../store/memory-store.js';
import { taskFromObject } from '../../../task/load.js';
import { CallGate } from '../../../teacher/call-gate.js';
import { readExtractGold, readExtractPool } from '../pool.js';
import { runExtractLoop } from '../run-extract-loop.js';
import type { ExtractLoopOutcome } from '../types.js';
import { spanKey } from './span-vote.js';

const dir = mkdtempSync(join(tmpdir(), 'apprentice-span-filters-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const TRAIN = join(dir, 'train.conll');
const TYPES = ['city', 'person', 'product'];
writeSyntheticConll(TRAIN, 900, 3);
const GOLD = new Map(readExtractGold(TRAIN, TYPES).map((g) => [g.text, new Set(g.spans.map(spanKey))]));
const BUDGET = 600;

async function run(data: Record<string, unknown>) {
  const task = taskFromObject(
    {
      kind: 'extract',
      name: 'filters',
      instruction: 'Mark people, cities and products.',
      types: TYPES,
      pool: TRAIN,
      teacher: { model: `dataset:${TRAIN}`, spanNoise: { missed: 0.1, wrongType: 0.1, boundary: 0.1 } },
      budget: { answers: BUDGET },
      loop: { initialLabels: 120, answersPerRound: 60, validationSize: 30, maxRounds: 2, patience: 50 },
      data,
    },
    { baseDir: dir },
  );
  const gate = new CallGate({
    store: new MemoryStore(),
    runId: 'r',
    teacherId: task.teacher.model,
    budget: task.budget,
  });
  const teacher = new DatasetExtractTeacher(task.teacher, { gate, types: TYPES, seed: 1 });
  const out = await runExtractLoop({ task, teacher, gate, pool: readExtractPool(TRAIN).texts });
  return { out, gate };
}

/** Share of the teacher rows' spans that are not gold (exact offsets and type). */
function wrongShare(out: ExtractLoopOutcome): number {
  let spans = 0;
  let wrong = 0;
  for (const r of out.training.filter((t) => t.source !== 'seed')) {
    spans += r.spans.length;
    wrong += r.spans.filter((s) => !GOLD.get(r.text)!.has(spanKey(s))).length;
  }
  return wrong / spans;
}

describe('the span filters in the extraction loop (dataset teacher with span noise)', () => {
  it('self-consistency and the label-noise check leave fewer wrong spans, within the answer budget, and report what they did', async () => {
    const plain = await run({});
    const filtered = await run({ selfConsistency: 3, labelNoise: 'relabel' });
    expect(plain.out.filters).toBeUndefined();
    const f = filtered.out.filters!;
    expect(f.settings).toMatchObject({ selfConsistency: 3, labelNoise: 'relabel' });
    const sc = f.totals.selfConsistency;
    const ln = f.totals.labelNoise;
    console.log(
      `wrong spans: plain ${wrongShare(plain.out).toFixed(3)}, filtered ${wrongShare(filtered.out).toFixed(3)}; sc ${JSON.stringify(sc)}; labelNoise ${JSON.stringify(ln)}`,
    );
    // Independent noise per sample: a corrupted span rarely gets a majority.
    expect(wrongShare(filtered.out)).toBeLessThan(wrongShare(plain.out) / 2);
    expect(sc.spansDropped).toBeGreaterThan(10);
    expect(sc.answers).toBe(2 * sc.checked);
    expect(ln.checked).toBeGreaterThan(0);
    // As classification: the pool's share of a later round (plus what the generation arms left)
    // includes the samples, so it asks about a third as many texts: between share / 3 and 60 / 3.
    const r1 = f.rounds[1].selfConsistency!;
    const share = filtered.out.rounds[1].arms?.pool?.share ?? 60;
    expect(r1.checked + r1.unchecked).toBeLessThanOrEqual(20);
    expect(r1.checked + r1.unchecked).toBeGreaterThanOrEqual(Math.floor(share / 3));
    // Extra samples are answers: the budget holds them all.
    expect(filtered.gate.used().answers).toBeLessThanOrEqual(BUDGET);
    const answers = sc.answers + ln.answers + f.totals.verify.answers;
    const asked = filtered.out.training.filter((r) => r.source !== 'seed').length + filtered.out.validation.length;
    expect(filtered.gate.used().answers).toBeGreaterThanOrEqual(answers + asked);
    // Rejected texts carry the filter's reason.
    for (const r of filtered.out.rejected.filter((x) => /self-consistency|label-noise/.test(x.reason)))
      expect(r.reason).toMatch(/samples/);
    expect(f.rounds.map((r) => r.round)).toEqual(filtered.out.rounds.map((r) => r.round));
  });

  it('labelNoise review: flagged rows stay as the teacher gave them and are listed with the doubted and missed spans', async () => {
    const { out } = await run({ labelNoise: 'review' });
    const f = out.filters!;
    expect(f.totals.labelNoise.flaggedRows).toBeGreaterThan(0);
    expect(f.review.length).toBe(f.totals.labelNoise.flaggedRows);
    expect(f.totals.labelNoise.answers).toBe(0);
    const byText = new Map(out.training.map((r) => [r.text, r]));
    let right = 0;
    let doubted = 0;
    for (const line of f.review) {
      const row = byText.get(line.text)!;
      expect(line.spans.map(spanKey)).toEqual(row.spans.map(spanKey));
      for (const d of line.doubted) {
        expect(row.spans.map(spanKey)).toContain(spanKey(d));
        doubted++;
        if (!GOLD.get(line.text)!.has(spanKey(d))) right++;
      }
      for (const m of line.missed) expect(row.spans.map(spanKey)).not.toContain(spanKey(m));
    }
    // Most doubted spans are indeed the teacher's mistakes (the noise corrupts ~27% of spans).
    if (doubted > 0) expect(right / doubted).toBeGreaterThan(0.5);
  });

  it('verification checks the generation arms’ rows, and every filter answer is charged to the arm whose rows it checked', async () => {
    const { out } = await run({ verify: 'relabel', selfConsistency: 3 });
    const v = out.filters!.totals.verify;
    expect(v.checked).toBeGreaterThan(0);
    expect(v.answers).toBe(v.checked);
    // Generated rows that stayed were confirmed: the dataset teacher's second answer draws the same noise, so all agree.
    expect(out.training.filter((r) => r.source === 'generated').length).toBeGreaterThan(0);
    // The generation arms paid for their rows and for their verification.
    const generationAnswers = out.rounds
      .flatMap((r) => Object.entries(r.arms ?? {}))
      .filter(([name]) => name !== 'pool')
      .reduce((a, [, x]) => a + x.answers, 0);
    expect(generationAnswers - v.answers).toBeGreaterThanOrEqual(
      out.training.filter((r) => r.source === 'generated').length,
    );
    for (let i = 1; i < out.rounds.length; i++) {
      const arms = Object.values(out.rounds[i].arms ?? {});
      const spent = arms.reduce((a, x) => a + x.answers, 0);
      expect(spent).toBeCloseTo(out.rounds[i].answers - out.rounds[i - 1].answers, 6);
    }
  });
});
