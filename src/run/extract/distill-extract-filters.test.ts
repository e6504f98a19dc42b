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

const t = fakeLlmPerTest('apprentice-extract-filters-');
const question = (req: FakeLlmRequest) => req.messages.find((m) => m.role === 'user')!.content;
const readJsonl = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

describe('distill of an extract task with span self-consistency, over HTTP', () => {
  it('drops the spans only the first answer gave, counts them in summary.json and report.html, within the budget', async () => {
    const rows = spanRows(150, 8);
    const gold = new Map(rows.map((r) => [r.text, r.spans]));
    const fake = await t.start((req) => {
      const text = textOfExtractionQuestion(question(req)) ?? '';
      const entities = (gold.get(text) ?? []).map((s) => ({ type: s.type, text: s.text }));
      // At the teacher's temperature (0) it also marks the text's last word as a product: a
      // mistake the samples (0.7) never repeat, so a vote of 3 must drop it.
      const last = text.split(' ').at(-1)!;
      if ((req.body.temperature ?? 0) === 0 && !entities.some((e) => e.text.includes(last)))
        entities.push({ type: 'product', text: last });
      return JSON.stringify({ entities });
    });
    writeFileSync(join(t.dir, 'pool.txt'), `${[...gold.keys()].join('\n')}\n`);
    const task = taskFromObject(
      {
        kind: 'extract',
        name: 'filters',
        instruction: 'Mark people, cities and products.',
        types: ['city', 'person', 'product'],
        pool: 'pool.txt',
        teacher: { model: 'openai-compatible:fake', baseUrl: fake.baseUrl, concurrency: 2 },
        budget: { answers: 130 },
        loop: { initialLabels: 30, answersPerRound: 20, validationSize: 10 },
        data: { selfConsistency: 3 },
      },
      { baseDir: t.dir },
    );
    const s = await distillExtract(task, { outDir: join(t.dir, 'run'), store: new MemoryStore() });
    expect(s.teacher.answers).toBeLessThanOrEqual(130);
    const sc = s.filters!.totals.selfConsistency;
    expect(s.filters!.settings.selfConsistency).toBe(3);
    expect(sc.checked).toBeGreaterThan(30);
    expect(sc.answers).toBe(2 * sc.checked);
    expect(sc.spansDropped).toBeGreaterThan(20);
    expect(s.filters!.rounds.length).toBe(s.curve.length);
    // Checked rows train only on the majority: no trailing-word product is left in them.
    const training = readJsonl(join(t.dir, 'run', 'training.jsonl'));
    const wrong = training.filter((r) =>
      r.spans.some(
        (sp: { text: string; type: string }) =>
          sp.type === 'product' && !(gold.get(r.text) ?? []).some((g) => g.text === sp.text),
      ),
    );
    expect(wrong.length).toBeLessThanOrEqual(sc.unchecked);
    const html = readFileSync(join(t.dir, 'run', 'report.html'), 'utf8');
    expect(html).toMatch(/<section id="filters">/);
    expect(html).toContain(`self-consistency (3 samples`);
    const summary = JSON.parse(readFileSync(join(t.dir, 'run', 'summary.json'), 'utf8'));
    expect(summary.filters.totals.selfConsistency.spansDropped).toBe(sc.spansDropped);
  });
});
