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

const t = fakeLlmPerTest('apprentice-extract-generate-');
const question = (req: FakeLlmRequest) => req.messages.find((m) => m.role === 'user')!.content;
const readJsonl = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

describe('distill of an extract task with generation arms, LLM teacher over HTTP', () => {
  it('writes generated rows with their arm and guidance, spends the budget exactly, and reports the arm split', async () => {
    const rows = spanRows(150, 5);
    const gold = new Map(rows.map((r) => [r.text, r.spans]));
    // What the fake writes when asked to generate: novel rows, each with one mention not in its text.
    const fresh = spanRows(400, 9, true).filter((r) => !gold.has(r.text));
    let written = 0;
    const generationAsks: string[] = [];
    const fake = await t.start((req) => {
      const q = question(req);
      const ask = /^Write (\d+) different annotated texts/.exec(q);
      if (ask) {
        generationAsks.push(q);
        const n = Number(ask[1]);
        const examples = fresh.slice(written, written + n).map((r) => ({
          text: r.text,
          entities: [...r.spans.map((s) => ({ type: s.type, text: s.text })), { type: 'person', text: 'Nobody Here' }],
        }));
        written += n;
        return JSON.stringify({ examples });
      }
      const text = textOfExtractionQuestion(q) ?? '';
      return JSON.stringify({ entities: (gold.get(text) ?? []).map((s) => ({ type: s.type, text: s.text })) });
    });
    writeFileSync(join(t.dir, 'pool.txt'), `${rows.map((r) => r.text).join('\n')}\n`);
    const task = taskFromObject(
      {
        kind: 'extract',
        name: 'llm-generate',
        instruction: 'Mark people, cities and products.',
        types: ['city', 'person', 'product'],
        pool: 'pool.txt',
        teacher: { model: 'openai-compatible:fake', baseUrl: fake.baseUrl, concurrency: 2 },
        budget: { answers: 100 },
        loop: { initialLabels: 30, answersPerRound: 20, validationSize: 10, poolShare: 0.4, patience: 50 },
      },
      { baseDir: t.dir },
    );
    const run = join(t.dir, 'run');
    const s = await distillExtract(task, { outDir: run, store: new MemoryStore() });
    expect(s.teacher.answers).toBe(100);
    expect(generationAsks.length).toBeGreaterThan(0);

    const training = readJsonl(join(run, 'training.jsonl'));
    const generated = training.filter((r) => r.source === 'generated');
    expect(generated.length).toBeGreaterThan(0);
    for (const r of generated) {
      expect(['weak-type', 'hard-negative', 'entity-free']).toContain(r.arm);
      expect(r.guidance).toBeDefined();
      for (const sp of r.spans) expect(r.text.slice(sp.start, sp.end)).toBe(sp.text);
      // The mention the fake made up is kept, with its raw JSON.
      expect(r.rejectedMentions).toEqual([expect.objectContaining({ raw: '{"type":"person","text":"Nobody Here"}' })]);
    }
    expect(training.filter((r) => r.source !== 'seed' && r.source !== 'generated').every((r) => r.arm === 'pool')).toBe(
      true,
    );
    expect(s.rowsBySource?.generated).toBe(generated.length);
    const byArm = s.rowsByArm!;
    expect(byArm.pool + (byArm['weak-type'] ?? 0) + (byArm['hard-negative'] ?? 0) + (byArm['entity-free'] ?? 0)).toBe(
      training.length,
    );
    // Every round after round 0 records the split; the shares add up to the round's answers.
    for (const p of s.curve.slice(1)) expect(Object.values(p.arms!).reduce((sum, a) => sum + a.share, 0)).toBe(20);
    const html = readFileSync(join(run, 'report.html'), 'utf8');
    expect(html).toContain('Arms and sources');
    expect(html).toMatch(/<th class="num">weak-type<\/th>/);
  });
});
