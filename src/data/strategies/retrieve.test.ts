import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeLlmRequest } from '../../../test/fake-llm/types.js';
import { batchTexts } from '../../../test/fake-llm/scripts.js';
import type { TeacherTaskContext } from '../../teacher/types.js';
import { RetrieveStrategy } from './retrieve.js';
import { strategyHarness, contextFor, datasetTeacherOver, scriptedTeacher, taskFor } from './strategy.fixture.js';

const TASK: TeacherTaskContext = {
  instruction: 'Route each customer support message to the team that should handle it.',
  labels: [
    { name: 'billing', description: 'charges, invoices, refunds' },
    { name: 'bug', description: 'the app is broken' },
  ],
  multiLabel: false,
  seeds: [
    { text: 'I was charged twice for my subscription', labels: ['billing'] },
    { text: 'Please refund the duplicate charge on my card', labels: ['billing'] },
    { text: 'The app crashes when I open settings', labels: ['bug'] },
    { text: 'Login button does nothing, the app is broken', labels: ['bug'] },
  ],
};
const RELEVANT = [
  'Why was my card charged twice this month?',
  'I need a refund for a charge I did not make',
  'The app crashes every time I upload a photo',
  'Settings page is broken after the update, the app crashes',
  'Can I get an invoice for my subscription charge?',
];
const KNOWN = 'I want a refund for the double charge';
const IRRELEVANT = [
  'Preheat the oven and bake the bread for forty minutes',
  'The striker scored twice in the second half of the match',
  'Tomatoes grow best in full sun with regular watering',
  'The museum opens a new exhibition of Dutch paintings',
  'Whisk the eggs with sugar until pale and fluffy',
  'The marathon route passes along the river and the old harbour',
];

const dir = mkdtempSync(join(tmpdir(), 'apprentice-retrieve-'));
const CORPUS = join(dir, 'corpus.txt');
writeFileSync(
  CORPUS,
  [
    IRRELEVANT[0],
    RELEVANT[0],
    IRRELEVANT[1],
    IRRELEVANT[2],
    RELEVANT[1],
    KNOWN,
    IRRELEVANT[3],
    RELEVANT[2],
    IRRELEVANT[4],
    RELEVANT[3],
    IRRELEVANT[5],
    RELEVANT[4],
  ].join('\n'),
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const { llm, keep } = strategyHarness({ task: TASK });

const task = taskFor(TASK, { data: { strategies: ['retrieve'], retrieveFrom: CORPUS } });
const labelOf = (text: string) =>
  /charge|refund|invoice/i.test(text) ? 'billing' : /app|crash|broken/i.test(text) ? 'bug' : 'other';

describe('retrieve strategy', () => {
  it('ranks the corpus texts that look like the task first, skips known ones, and has the teacher label them', async () => {
    const seen: FakeLlmRequest[] = [];
    const fx = await llm(scriptedTeacher({ label: labelOf }, seen));
    const strategy = RetrieveStrategy.fromTask(task);
    const ctx = contextFor(task, fx.teacher, { rows: [{ text: KNOWN, labels: ['billing'] }] });
    const out = await strategy.produce(ctx, 5);
    const sent = seen.flatMap((r) => batchTexts(r) ?? []);
    expect(new Set(sent)).toEqual(new Set(RELEVANT));
    expect(out.answers).toBe(5);
    expect(fx.gate.used().answers).toBe(5);
    expect(out.rows).toHaveLength(5);
    for (const row of out.rows) {
      expect(row).toMatchObject({ source: 'pool', strategy: 'retrieve', labels: [labelOf(row.text)] });
    }
  });

  it('never sends a text twice, and stops when the corpus is used up', async () => {
    const fx = await llm(scriptedTeacher({ label: labelOf }));
    const strategy = RetrieveStrategy.fromTask(task);
    const ctx = contextFor(task, fx.teacher);
    const first = await strategy.produce(ctx, 5);
    const second = await strategy.produce(ctx, 100);
    // Irrelevant texts get `other`, which this task lacks: rejected, but sent all the same.
    const texts = [...first.rows, ...second.rows]
      .map((r) => r.text)
      .concat([...first.rejected, ...second.rejected].map((r) => r.input));
    expect(new Set(texts).size).toBe(texts.length);
    expect(texts).toHaveLength(12);
    expect(second.answers).toBe(7);
    expect(await strategy.produce(ctx, 3)).toEqual({ rows: [], rejected: [], answers: 0 });
  });

  it('records a rejected answer with its raw text', async () => {
    const fx = await llm(scriptedTeacher({ label: (t) => (t === RELEVANT[0] ? 'refunds' : labelOf(t)) }));
    const out = await RetrieveStrategy.fromTask(task).produce(contextFor(task, fx.teacher), 5);
    expect(out.rows).toHaveLength(4);
    expect(out.rejected).toEqual([
      expect.objectContaining({ kind: 'label', input: RELEVANT[0], reason: expect.stringContaining('"refunds"') }),
    ]);
    expect(out.answers).toBe(5);
  });

  it('labels retrieved texts with the dataset teacher, offline', async () => {
    const made = datasetTeacherOver(
      RELEVANT.map((text) => ({ text, label: labelOf(text) })),
      TASK,
    );
    keep(made.dir);
    const t = taskFor(TASK, {
      model: `dataset:${made.file}`,
      data: { strategies: ['retrieve'], retrieveFrom: CORPUS },
    });
    const out = await RetrieveStrategy.fromTask(t).produce(
      contextFor(t, made.teacher, { rows: [{ text: KNOWN, labels: ['billing'] }] }),
      5,
    );
    expect(out.rows.map((r) => r.text).sort()).toEqual([...RELEVANT].sort());
    expect(out.rows.every((r) => r.labels[0] === labelOf(r.text))).toBe(true);
  });

  it('produces nothing without a corpus', async () => {
    const fx = await llm(scriptedTeacher({}));
    expect(await new RetrieveStrategy(undefined).produce(contextFor(task, fx.teacher), 5)).toEqual({
      rows: [],
      rejected: [],
      answers: 0,
    });
  });
});
