import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeLlmPerTest } from '../../../test/fake-llm/index.js';
import type { FakeLlmRequest } from '../../../test/fake-llm/types.js';
import { MemoryStore } from '../../store/memory-store.js';
import { spanRows } from '../../student/sequence/synthetic-spans.js';
import { taskFromObject } from '../../task/load.js';
import { textOfExtractionQuestion } from '../../teacher/extract/prompts.js';
import { distillExtract } from './distill-extract.js';

const t = fakeLlmPerTest('apprentice-extract-llm-');
const question = (req: FakeLlmRequest) => req.messages.find((m) => m.role === 'user')!.content;

describe('distill of an extract task with an LLM teacher over HTTP', () => {
  it('keeps alignment statuses, rejects hallucinated mentions with their raw text, and counts each in the summary', async () => {
    const rows = spanRows(120, 5);
    const gold = new Map(rows.map((r) => [r.text, r.spans]));
    const fake = await t.start((req) => {
      const text = textOfExtractionQuestion(question(req)) ?? '';
      const spans = gold.get(text) ?? [];
      // Like an LLM: the first mention lowercased (placed by the case stage), and one name not in the text.
      const entities = spans.map((s, i) => ({ type: s.type, text: i === 0 ? s.text.toLowerCase() : s.text }));
      entities.push({ type: 'person', text: 'Grace Hopper Jr' });
      return JSON.stringify({ entities });
    });
    writeFileSync(join(t.dir, 'pool.txt'), `${rows.map((r) => r.text).join('\n')}\n`);
    const task = taskFromObject(
      {
        kind: 'extract',
        name: 'llm-extract',
        instruction: 'Mark people, cities and products.',
        types: ['city', 'person', 'product'],
        pool: 'pool.txt',
        teacher: { model: 'openai-compatible:fake', baseUrl: fake.baseUrl, concurrency: 2 },
        budget: { answers: 60 },
        // Pool picks only: generation over HTTP is distill-extract-generate.test.ts.
        loop: { initialLabels: 30, answersPerRound: 20, validationSize: 10, poolShare: 1 },
      },
      { baseDir: t.dir },
    );
    const s = await distillExtract(task, { outDir: join(t.dir, 'run'), store: new MemoryStore() });
    expect(s.teacher.kind).toBe('llm');
    expect(s.teacher.answers).toBe(60);
    expect(s.teacher.requests).toBe(60);
    // One hallucinated mention per text, every one kept as a rejected mention.
    expect(s.alignment.rejectedMentions).toBe(60);
    expect(s.alignment.spans.case).toBeGreaterThan(0);
    expect(s.alignment.spans.exact).toBeGreaterThan(0);
    const rejected = readFileSync(join(t.dir, 'run', 'rejected.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rejected.filter((r) => r.kind === 'mention')).toHaveLength(60);
    expect(rejected[0]).toMatchObject({ raw: '{"type":"person","text":"Grace Hopper Jr"}' });
    const training = readFileSync(join(t.dir, 'run', 'training.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    for (const row of training) {
      expect(row.teacher).toBe('openai-compatible:fake');
      for (const sp of row.spans) expect(row.text.slice(sp.start, sp.end)).toBe(sp.text);
    }
    expect(readFileSync(join(t.dir, 'run', 'report.html'), 'utf8')).toMatch(/<td>case<\/td>/);
  });
});
