import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { distill } from '../run/distill.js';
import { loadTask } from '../task/load.js';
import { MemoryStore } from '../store/memory-store.js';
import { fakeTeacher, generationAsk } from '../../test/fake-llm/scripts.js';
import { fakeLlmPerTest } from '../../test/fake-llm/per-test.js';
import { TOPIC_LABELS, topicRows, writeJsonl } from '../../test/fixtures/topics.js';

const t = fakeLlmPerTest('apprentice-junk-');

/** The topic after `label`: what the junk writer writes instead of what was asked. */
const otherTopic = (label: string) => TOPIC_LABELS[(TOPIC_LABELS.indexOf(label) + 1) % TOPIC_LABELS.length];

describe('the bandit against a teacher whose generated examples are off-label (fake LLM over HTTP)', () => {
  it('measures the generating arms as harmful and starves them, while pool labeling keeps the budget', async () => {
    const pool = topicRows(1600, 1);
    const truth = new Map(pool.map((r) => [r.text, r.label]));
    let written = 0;
    // Labels pool texts correctly; asked to write examples of a label, writes texts of another topic.
    const fake = await t.start(
      fakeTeacher({
        answer: (text) => truth.get(text),
        generate: (_label, n, req) => {
          const ask = generationAsk(req)!;
          const rows = topicRows(n * TOPIC_LABELS.length * 2, 1000 + written).filter(
            (r) => r.label === otherTopic(ask.label),
          );
          written += n;
          return rows.slice(0, n).map((r, i) => `${r.text} (w${written}-${i})`);
        },
      }),
    );
    writeJsonl(
      join(t.dir, 'pool.jsonl'),
      pool.map((r) => ({ text: r.text })),
    );
    writeJsonl(
      join(t.dir, 'gold.jsonl'),
      topicRows(200, 2).map((r) => ({ ...r, text: r.text.replace('#', 'g#') })),
    );
    writeFileSync(
      join(t.dir, 'task.json'),
      JSON.stringify({
        name: 'junk-writer',
        instruction: 'Route each customer message to the team that handles its topic.',
        labels: TOPIC_LABELS,
        pool: './pool.jsonl',
        eval: './gold.jsonl',
        teacher: { model: 'openai-compatible:fake', baseUrl: fake.baseUrl, batchSize: 20, concurrency: 4 },
        budget: { answers: 1700 },
        loop: { initialLabels: 100, initialGeneratePerLabel: 2, answersPerRound: 200, maxRounds: 8, patience: 9 },
        data: { strategies: ['weak-label', 'hard-negative'], verify: 'off' },
        seed: 5,
      }),
    );

    const summary = await distill(loadTask(join(t.dir, 'task.json')), {
      outDir: join(t.dir, 'run'),
      store: new MemoryStore(),
    });
    const rounds = summary.rounds.filter((r) => r.round > 0);
    expect(rounds.length).toBeGreaterThanOrEqual(6);
    const junk = ['weak-label', 'hard-negative'];

    // Retraining noise makes the odd measurement positive; most say the rows made the student worse.
    const gains = rounds.flatMap((r) => junk.map((a) => r.arms?.[a]?.gain).filter((g): g is number => g !== undefined));
    expect(gains.length).toBeGreaterThanOrEqual(8);
    expect(gains.filter((g) => g < 0).length / gains.length).toBeGreaterThanOrEqual(0.75);

    // By the prior each gets 20 of a round's 200 answers. Once two measurements are in, they share the
    // exploration floor (3 each) and a 12-answer probe that takes turns, and pool labeling gets the rest.
    const [first, ...later] = rounds.map((r) => r.arms!);
    expect(first['weak-label'].answers + first['hard-negative'].answers).toBe(40);
    const starved = later.slice(1);
    expect(starved.length).toBeGreaterThanOrEqual(4);
    for (const arms of starved) {
      const spent = Object.values(arms).reduce((s, a) => s + a.answers, 0);
      expect(arms['weak-label'].answers + arms['hard-negative'].answers).toBeLessThanOrEqual(15);
      expect(arms.pool.answers).toBeGreaterThanOrEqual(spent - 15);
    }
  });
});
