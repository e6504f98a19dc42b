import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { distill } from './distill.js';
import { loadTask } from '../task/load.js';
import { MemoryStore } from '../store/memory-store.js';
import type { RoundRecord } from './types.js';
import { fakeTeacher, generationAsk } from '../../test/fake-llm/scripts.js';
import { startFakeLlm, type FakeLlm } from '../../test/fake-llm/server.js';
import type { FakeHandler } from '../../test/fake-llm/types.js';
import { TOPIC_LABELS, topicRows, writeJsonl } from '../../test/fixtures/topics.js';

let dir: string;
let fake: FakeLlm | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apprentice-dollars-'));
});
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

const GENERATORS = ['weak-label', 'hard-negative'];

function hashText(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
/** Output tokens the fake reports per written example: a verbose model, so a written example costs far more than a label. */
const TOKENS_PER_EXAMPLE = 600;

/** A teacher that labels correctly and writes on-topic examples, but bills every written example as hundreds of output tokens. */
function verboseWriter(truth: Map<string, string>): FakeHandler {
  const base = fakeTeacher({
    answer: (text) => truth.get(text),
    // What it writes follows from the request alone, not from the order concurrent requests arrive in.
    generate: (label, n, req) => {
      const seed = 5000 + (hashText(req.messages.map((m) => m.content).join('\n')) % 1_000_000);
      const rows = topicRows(n * TOPIC_LABELS.length * 3, seed).filter((r) => r.label === label);
      return rows.slice(0, n).map((r, i) => `${r.text} (v${seed}-${i})`);
    },
  });
  return (req) => {
    const reply = base(req);
    const ask = generationAsk(req);
    return ask && typeof reply === 'string' ? { kind: 'answer', text: reply, usage: { output: TOKENS_PER_EXAMPLE * ask.n } } : reply;
  };
}

async function run(name: string, price?: { inputPerMTok: number; outputPerMTok: number }): Promise<RoundRecord[]> {
  const runDir = join(dir, name);
  writeFileSync(join(dir, `${name}.json`), JSON.stringify({
    name,
    instruction: 'Route each customer message to the team that handles its topic.',
    labels: TOPIC_LABELS,
    pool: './pool.jsonl',
    eval: './gold.jsonl',
    teacher: { model: 'openai-compatible:fake', baseUrl: fake!.baseUrl, batchSize: 20, concurrency: 4, ...(price ? { price } : {}) },
    budget: { answers: 1700 },
    loop: { initialLabels: 100, initialGeneratePerLabel: 2, answersPerRound: 200, maxRounds: 8, patience: 9 },
    data: { strategies: GENERATORS, verify: 'off', labelNoise: 'off' },
    seed: 5,
  }));
  const summary = await distill(loadTask(join(dir, `${name}.json`)), { outDir: runDir, store: new MemoryStore() });
  expect(readFileSync(join(runDir, 'report.html'), 'utf8')).toContain(price ? 'gained more per dollar' : 'gained more per answer');
  return summary.rounds;
}

describe('the bandit with a priced teacher (fake LLM over HTTP)', () => {
  // How the bandit then weighs gain per dollar is in bandit.test.ts (recordRound): on a task this easy
  // the measured gains are mostly retraining noise, so the split here says little about the unit.
  it('charges each arm the dollars of its own requests, and the report says the bandit weighed gain per dollar', async () => {
    const pool = topicRows(1600, 1);
    const truth = new Map(pool.map((r) => [r.text, r.label]));
    fake = await startFakeLlm(verboseWriter(truth));
    writeJsonl(join(dir, 'pool.jsonl'), pool.map((r) => ({ text: r.text })));
    writeJsonl(join(dir, 'gold.jsonl'), topicRows(200, 2).map((r) => ({ ...r, text: r.text.replace('#', 'g#') })));

    const unpriced = await run('by-answer');
    const priced = await run('by-dollar', { inputPerMTok: 0.15, outputPerMTok: 60 });

    // Unpriced: no dollars anywhere. Priced: every arm that spent answers was charged, a written
    // example many times a label, and the arms' dollars are all the round spent (no filter checks here).
    expect(unpriced.every((r) => Object.values(r.arms ?? {}).every((a) => a.dollars === undefined))).toBe(true);
    let before = 0;
    for (const r of priced) {
      const arms = Object.entries(r.arms ?? {});
      for (const [, a] of arms) if (a.answers > 0) expect(a.dollars).toBeGreaterThan(0);
      expect(arms.reduce((s, [, a]) => s + (a.dollars ?? 0), 0)).toBeCloseTo(r.dollars - before, 9);
      before = r.dollars;
    }
    const perAnswer = (arm: string) => {
      const spent = priced.reduce((s, r) => ({ dollars: s.dollars + (r.arms?.[arm]?.dollars ?? 0), answers: s.answers + (r.arms?.[arm]?.answers ?? 0) }), { dollars: 0, answers: 0 });
      return spent.dollars / spent.answers;
    };
    expect(perAnswer('weak-label')).toBeGreaterThan(10 * perAnswer('pool'));
    // And the bandit measured the arms in that run (gains recorded from round 1 on).
    expect(priced.filter((r) => r.round > 0).every((r) => r.arms?.pool?.gain !== undefined)).toBe(true);
  });
});
