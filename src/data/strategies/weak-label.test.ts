import { describe, expect, it } from 'vitest';
import type { FakeLlmRequest } from '../../../test/fake-llm/types.js';
import { generationAsk } from '../../../test/fake-llm/scripts.js';
import type { TeacherTaskContext } from '../../teacher/types.js';
import { HardNegativeStrategy } from './hard-negative.js';
import {
  strategyHarness,
  contextFor,
  datasetTeacherOver,
  listedTexts,
  scriptedTeacher,
  taskFor,
  topicRows,
  userPrompt,
} from './strategy.fixture.js';
import { WeakLabelStrategy } from './weak-label.js';

const TASK: TeacherTaskContext = {
  instruction: 'Route each customer support message to the team that should handle it.',
  labels: [{ name: 'billing' }, { name: 'bug' }, { name: 'other' }],
  multiLabel: false,
  seeds: [
    { text: 'I was charged twice this month', labels: ['billing'] },
    { text: 'The app crashes when I open it', labels: ['bug'] },
  ],
};
const task = taskFor(TASK);
const ROWS = Array.from({ length: 12 }, (_, i) => ({ text: `bug report number ${i}`, labels: ['bug'] }));

/** One request at a time, so the server sees them in plan order. */
const { llm, keep } = strategyHarness({ task: TASK, settings: { concurrency: 1 } });
const asks = (seen: FakeLlmRequest[]) => seen.map((r) => generationAsk(r)!);
const AVOID = 'already exist; write new ones';

describe('weak-label strategy', () => {
  it('before any diagnosis, spreads requests of at most four over every label', async () => {
    const seen: FakeLlmRequest[] = [];
    const fx = await llm(scriptedTeacher({}, seen));
    const out = await new WeakLabelStrategy().produce(contextFor(task, fx.teacher), 10);
    expect(asks(seen)).toEqual([
      { label: 'billing', n: 4 },
      { label: 'bug', n: 4 },
      { label: 'other', n: 2 },
    ]);
    expect(out.answers).toBe(10);
    expect(out.rows).toHaveLength(10);
    expect(out.rows[0]).toMatchObject({ labels: ['billing'], source: 'generated', strategy: 'weak-label' });
    expect(out.rejected).toEqual([]);
  });

  it('asks for the weakest labels only, worst first, each request avoiding different known texts', async () => {
    const seen: FakeLlmRequest[] = [];
    const fx = await llm(scriptedTeacher({}, seen));
    const ctx = contextFor(task, fx.teacher, {
      rows: ROWS,
      weaknesses: {
        weakest: [
          { label: 'bug', f1: 0.2 },
          { label: 'other', f1: 0.5 },
        ],
      },
    });
    await new WeakLabelStrategy().produce(ctx, 16);
    expect(asks(seen).map((a) => a.label)).toEqual(['bug', 'other', 'bug', 'other']);
    const bugPrompts = seen.filter((r) => generationAsk(r)!.label === 'bug').map(userPrompt);
    const first = listedTexts(bugPrompts[0], AVOID);
    const second = listedTexts(bugPrompts[1], AVOID);
    // Most recent rows first; the second request pages on.
    expect(first).toEqual([
      'bug report number 11',
      'bug report number 10',
      'bug report number 9',
      'bug report number 8',
      'bug report number 7',
    ]);
    expect(second).toEqual([
      'bug report number 6',
      'bug report number 5',
      'bug report number 4',
      'bug report number 3',
      'bug report number 2',
    ]);
    // A label with no known texts has nothing to avoid.
    expect(userPrompt(seen[1])).not.toContain(AVOID);
  });

  it('never spends more answers than given, whatever the teacher sends', async () => {
    const fx = await llm(
      scriptedTeacher({ generate: (label, n) => Array.from({ length: n + 3 }, (_, i) => `${label} extra ${i}`) }),
    );
    const out = await new WeakLabelStrategy().produce(contextFor(task, fx.teacher), 5);
    expect(out.answers).toBe(5);
    expect(out.rows).toHaveLength(5);
    expect(fx.gate.used().answers).toBe(5);
    expect(out.rejected.every((r) => r.kind === 'generate' && /more than the/.test(r.reason))).toBe(true);
    expect(await new WeakLabelStrategy().produce(contextFor(task, fx.teacher), 0)).toEqual({
      rows: [],
      rejected: [],
      answers: 0,
    });
  });

  it('works offline against the dataset teacher, counting only the rows handed out', async () => {
    const rows = topicRows(2);
    const made = datasetTeacherOver(rows, { ...TASK, labels: [{ name: 'billing' }, { name: 'bug' }] });
    keep(made.dir);
    const t = taskFor({ ...TASK, labels: [{ name: 'billing' }, { name: 'bug' }] }, { model: `dataset:${made.file}` });
    const out = await new WeakLabelStrategy().produce(
      contextFor(t, made.teacher, { weaknesses: { weakest: [{ label: 'bug', f1: 0 }] } }),
      10,
    );
    // Six bug rows in the file: that is all there is to hand out.
    expect(out.rows.map((r) => r.labels[0])).toEqual(Array(6).fill('bug'));
    expect(out.answers).toBe(6);
  });
});

describe('hard-negative strategy', () => {
  it('asks for examples of the gold label written like the predicted one, in proportion to the confusion', async () => {
    const seen: FakeLlmRequest[] = [];
    const fx = await llm(scriptedTeacher({}, seen));
    const ctx = contextFor(task, fx.teacher, {
      weaknesses: {
        confusedPairs: [
          { gold: 'bug', predicted: 'billing', count: 6 },
          { gold: 'other', predicted: 'bug', count: 1 },
          { gold: 'bug', predicted: 'other', count: 0 },
        ],
      },
    });
    const out = await new HardNegativeStrategy().produce(ctx, 9);
    expect(asks(seen)).toEqual([
      { label: 'bug', n: 3 },
      { label: 'other', n: 1 },
      { label: 'bug', n: 3 },
      { label: 'other', n: 1 },
      { label: 'bug', n: 1 },
    ]);
    expect(userPrompt(seen[0])).toContain('examples of bug that could be mistaken for billing, but are truly bug');
    expect(userPrompt(seen[1])).toContain('could be mistaken for bug');
    expect(out.answers).toBe(9);
    expect(out.rows[0]).toMatchObject({
      labels: ['bug'],
      strategy: 'hard-negative',
      attributes: { confusedWith: 'billing' },
    });
  });

  it('without measured confusion, pairs each label with the one whose known texts look most like it', async () => {
    const seen: FakeLlmRequest[] = [];
    const fx = await llm(scriptedTeacher({}, seen));
    const rows = [
      { text: 'my card payment failed twice', labels: ['billing'] },
      { text: 'payment page crashes when my card is entered', labels: ['bug'] },
      { text: 'what are your office opening hours', labels: ['other'] },
    ];
    await new HardNegativeStrategy().produce(contextFor(task, fx.teacher, { rows }), 3);
    const pairs = seen.map((r) => [generationAsk(r)!.label, /could be mistaken for (\w+)/.exec(userPrompt(r))?.[1]]);
    expect(pairs).toContainEqual(['billing', 'bug']);
    expect(pairs).toContainEqual(['bug', 'billing']);
  });

  it('hands out the dataset rows of the gold label nearest the confused one, offline', async () => {
    const rows = [
      ...Array.from({ length: 6 }, (_, i) => ({ text: `app crash on startup ${i}`, label: 'bug' })),
      ...Array.from({ length: 3 }, (_, i) => ({ text: `card payment screen broken ${i}`, label: 'bug' })),
      ...Array.from({ length: 6 }, (_, i) => ({ text: `card payment refund please ${i}`, label: 'billing' })),
    ];
    const context = { ...TASK, labels: [{ name: 'billing' }, { name: 'bug' }] };
    const made = datasetTeacherOver(rows, context);
    keep(made.dir);
    const t = taskFor(context, { model: `dataset:${made.file}` });
    const ctx = contextFor(t, made.teacher, {
      weaknesses: { confusedPairs: [{ gold: 'bug', predicted: 'billing', count: 6 }] },
    });
    const out = await new HardNegativeStrategy().produce(ctx, 3);
    expect(out.rows.map((r) => r.text).sort()).toEqual([
      'card payment screen broken 0',
      'card payment screen broken 1',
      'card payment screen broken 2',
    ]);
  });
});

describe('weak-label strategy aimed by the skill profile (dataset teacher, offline)', () => {
  const context: TeacherTaskContext = {
    instruction: TASK.instruction,
    labels: [{ name: 'billing' }, { name: 'bug' }],
    multiLabel: false,
  };
  const ROWS7 = topicRows(7);

  it('aims every other request of a weak label at its weakest cluster, and gets rows of that cluster', async () => {
    const made = datasetTeacherOver(ROWS7, context);
    keep(made.dir);
    const t = taskFor(context, { model: `dataset:${made.file}` });
    const clusters = made.teacher.clusters!();
    const weak = clusters.clustersOf('bug')[1];
    const ctx = contextFor(t, made.teacher, {
      weaknesses: {
        weakest: [{ label: 'bug', f1: 0.3 }],
        weakSkills: [{ attribute: 'cluster', value: weak.id, label: 'bug', errorRate: 0.6, support: 6 }],
      },
    });
    const out = await new WeakLabelStrategy().produce(ctx, 8);
    expect(out.rows).toHaveLength(8);
    const aimed = out.rows.filter((r) => r.attributes?.cluster === weak.id);
    // Two requests of four: the first aimed at the weak cluster, the second left plain.
    expect(aimed).toHaveLength(4);
    for (const r of aimed) expect(clusters.assign(r.text, 'bug')).toBe(weak.id);
    expect(out.rows.slice(4).every((r) => r.attributes === undefined)).toBe(true);
  });

  it('leaves requests plain when no weak skill belongs to the label', async () => {
    const made = datasetTeacherOver(ROWS7, context);
    keep(made.dir);
    const t = taskFor(context, { model: `dataset:${made.file}` });
    const ctx = contextFor(t, made.teacher, {
      weaknesses: {
        weakest: [{ label: 'billing', f1: 0.3 }],
        weakSkills: [{ attribute: 'cluster', value: 'bug#0', label: 'bug', errorRate: 0.6, support: 6 }],
      },
    });
    const out = await new WeakLabelStrategy().produce(ctx, 4);
    expect(out.rows.every((r) => r.attributes === undefined)).toBe(true);
  });
});
