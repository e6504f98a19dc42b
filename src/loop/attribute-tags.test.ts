import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { distill } from '../run/distill.js';
import { loadTask } from '../task/load.js';
import { MemoryStore } from '../store/memory-store.js';
import { batchTexts, generationAnswer, generationAsk, labelingAnswer } from '../../test/fake-llm/scripts.js';
import { fakeLlmPerTest } from '../../test/fake-llm/per-test.js';
import type { FakeHandler, FakeLlmRequest } from '../../test/fake-llm/types.js';
import { TOPIC_LABELS, topicRows, writeJsonl } from '../../test/fixtures/topics.js';

const t = fakeLlmPerTest('apprentice-tags-');

const DIMENSIONS = [
  { name: 'tone', values: ['calm', 'urgent', 'confused'] },
  { name: 'length', values: ['short', 'medium', 'long'] },
];

const userPrompt = (req: FakeLlmRequest) => req.messages.find((m) => m.role === 'user')?.content ?? '';

/** The texts of a tagging question: the JSON strings after their numbers. */
function taggedTexts(prompt: string): string[] {
  return prompt.split('\n').flatMap((line) => {
    const m = /^\d+\. (".*")$/.exec(line);
    return m ? [JSON.parse(m[1]) as string] : [];
  });
}

const toneOf = (text: string) => (text.includes('urgent') ? 'urgent' : 'calm');
const lengthOf = (text: string) => (text.split(' ').length > 10 ? 'long' : 'short');

describe('the teacher tags the validation rows with its attribute dimensions (fake LLM over HTTP)', () => {
  it('asks once, in batches of 20, and the skill profile then measures error per attribute value', async () => {
    const pool = topicRows(600, 1);
    const gold = topicRows(60, 2).map((r) => ({ ...r, text: r.text.replace('#', 'g#') }));
    const truth = new Map([...pool, ...gold].map((r) => [r.text, r.label]));
    const tagQuestions: string[] = [];
    const handler: FakeHandler = (req) => {
      if (batchTexts(req)) return labelingAnswer(req, { answer: (t) => truth.get(t) });
      if (generationAsk(req)) return generationAnswer(req);
      const prompt = userPrompt(req);
      if (prompt.startsWith('Propose the attribute dimensions')) return JSON.stringify({ dimensions: DIMENSIONS });
      if (prompt.startsWith('For each text below')) {
        tagQuestions.push(prompt);
        // A value outside the list ("furious") and a dimension nobody proposed ("mood") are dropped.
        return JSON.stringify({
          items: taggedTexts(prompt).map((text, i) => ({
            id: String(i + 1),
            values: [
              { dimension: 'tone', value: i === 0 ? 'furious' : toneOf(text) },
              { dimension: 'Length', value: lengthOf(text).toUpperCase() },
              { dimension: 'mood', value: 'calm' },
            ],
          })),
        });
      }
      return {
        kind: 'http',
        status: 400,
        body: { type: 'error', error: { type: 'invalid_request_error', message: 'unexpected prompt' } },
      };
    };
    const fake = await t.start(handler);
    writeJsonl(
      join(t.dir, 'pool.jsonl'),
      pool.map((r) => ({ text: r.text })),
    );
    writeJsonl(join(t.dir, 'gold.jsonl'), gold);
    writeFileSync(
      join(t.dir, 'task.json'),
      JSON.stringify({
        name: 'tags',
        instruction: 'Route each customer message to the team that handles its topic.',
        labels: TOPIC_LABELS,
        pool: './pool.jsonl',
        eval: './gold.jsonl',
        teacher: { model: 'openai-compatible:fake', baseUrl: fake.baseUrl, batchSize: 20, concurrency: 2 },
        budget: { answers: 400 },
        loop: { initialLabels: 60, initialGeneratePerLabel: 2, answersPerRound: 100, maxRounds: 3, patience: 9 },
        data: { strategies: ['attribute'], verify: 'off', labelNoise: 'off' },
        seed: 3,
      }),
    );

    const summary = await distill(loadTask(join(t.dir, 'task.json')), {
      outDir: join(t.dir, 'run'),
      store: new MemoryStore(),
    });

    // One pass over the 60 gold rows, 20 a question, each listing the dimensions and quoting the texts.
    expect(tagQuestions).toHaveLength(3);
    expect(tagQuestions[0]).toContain('- "tone": "calm", "urgent", "confused"');
    expect(tagQuestions.flatMap(taggedTexts)).toEqual(gold.map((r) => r.text));

    // From the first round the attribute strategy ran in, the profile has the tagged values.
    const round = summary.rounds.find((r) => r.skills?.some((s) => s.attribute.startsWith('attr.')));
    expect(round).toBeDefined();
    const entries = round!.skills!.filter((s) => s.attribute.startsWith('attr.'));
    expect(new Set(entries.map((s) => s.attribute))).toEqual(new Set(['attr.tone', 'attr.length']));
    const support = (attribute: string, value: string) =>
      entries.find((s) => s.attribute === attribute && s.value === value)?.support;
    // The first text of each question had an unknown tone: 3 rows without one.
    const urgent = gold.filter((r, i) => i % 20 !== 0 && toneOf(r.text) === 'urgent').length;
    expect(support('attr.tone', 'urgent')).toBe(urgent);
    expect(support('attr.tone', 'calm')).toBe(gold.length - 3 - urgent);
    expect(support('attr.length', 'long')).toBe(gold.filter((r) => lengthOf(r.text) === 'long').length);
    expect(entries.every((s) => s.errorRate >= 0 && s.errorRate <= 1)).toBe(true);

    // The report's skill section shows them.
    expect(readFileSync(join(t.dir, 'run/report.html'), 'utf8')).toContain('attr.tone');
  });
});
