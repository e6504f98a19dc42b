import { describe, expect, it } from 'vitest';
import type { FakeLlmRequest } from '../../../test/fake-llm/types.js';
import { generationAsk } from '../../../test/fake-llm/scripts.js';
import type { TeacherTaskContext } from '../../teacher/types.js';
import { AttributeStrategy } from './attribute.js';
import {
  strategyHarness,
  contextFor,
  datasetTeacherOver,
  kindOf,
  scriptedTeacher,
  systemPrompt,
  taskFor,
  topicRows,
  userPrompt,
} from './strategy.fixture.js';

const TASK: TeacherTaskContext = {
  instruction: 'Route each customer support message to the team that should handle it.',
  labels: [{ name: 'billing', description: 'charges and refunds' }, { name: 'bug' }, { name: 'other' }],
  multiLabel: false,
};
const task = taskFor(TASK);
const DIMENSIONS = {
  dimensions: [
    { name: 'tone', values: ['angry', 'polite', 'confused'] },
    { name: 'length', values: ['one line', 'a paragraph'] },
    { name: 'writer', values: ['new customer', 'long-time customer', 'admin', 'Admin', 'billing'] },
  ],
};

const { llm, keep } = strategyHarness({ task: TASK, settings: { concurrency: 1 } });

/** The attribute lines of a generation prompt, as a record. */
function askedAttributes(req: FakeLlmRequest): Record<string, string> {
  const block = /Every text should have these attributes:\n((?:- .*\n?)*)/.exec(userPrompt(req))?.[1] ?? '';
  return Object.fromEntries(
    block
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => /^- (.*?): (.*)$/.exec(l)!.slice(1, 3)),
  );
}

describe('attribute strategy (LLM teacher)', () => {
  it('asks once, about the task, for attribute dimensions', async () => {
    const seen: FakeLlmRequest[] = [];
    const fx = await llm(scriptedTeacher({ attributes: () => DIMENSIONS }, seen));
    const strategy = new AttributeStrategy();
    await strategy.produce(contextFor(task, fx.teacher), 4);
    await strategy.produce(contextFor(task, fx.teacher, { round: 2 }), 4);
    const asks = seen.filter((r) => kindOf(r) === 'attributes');
    expect(asks).toHaveLength(1);
    const system = systemPrompt(asks[0]);
    expect(system).toContain(TASK.instruction);
    expect(system).toContain('- billing: charges and refunds\n- bug\n- other');
    expect(userPrompt(asks[0])).toMatch(/3 to 5 dimensions.*3 to 6 short values/s);
    // Duplicates and label names are tidied away.
    expect(strategy.dimensions()).toEqual([
      { name: 'tone', values: ['angry', 'polite', 'confused'] },
      { name: 'length', values: ['one line', 'a paragraph'] },
      { name: 'writer', values: ['new customer', 'long-time customer', 'admin'] },
    ]);
    expect(fx.gate.used().answers).toBe(8);
  });

  it('gives every request one sampled combination, spread evenly, and rows carry it', async () => {
    const seen: FakeLlmRequest[] = [];
    const fx = await llm(scriptedTeacher({ attributes: () => DIMENSIONS }, seen));
    const out = await new AttributeStrategy().produce(contextFor(task, fx.teacher), 12);
    const gens = seen.filter((r) => kindOf(r) === 'generate');
    expect(gens).toHaveLength(6);
    const combos = gens.map(askedAttributes);
    for (const c of combos) expect(Object.keys(c)).toEqual(['tone', 'length', 'writer']);
    const count = (dim: string) =>
      combos.reduce<Record<string, number>>((m, c) => {
        m[c[dim]] = (m[c[dim]] ?? 0) + 1;
        return m;
      }, {});
    expect(count('tone')).toEqual({ angry: 2, polite: 2, confused: 2 });
    expect(count('length')).toEqual({ 'one line': 3, 'a paragraph': 3 });
    expect(count('writer')).toEqual({ 'new customer': 2, 'long-time customer': 2, admin: 2 });
    expect(gens.map((r) => generationAsk(r)!.n)).toEqual([2, 2, 2, 2, 2, 2]);
    // Each row carries the combination its request asked for.
    expect(out.rows).toHaveLength(12);
    out.rows.forEach((row, i) => {
      const c = combos[Math.floor(i / 2)];
      expect(row.attributes).toEqual({ 'attr.tone': c.tone, 'attr.length': c.length, 'attr.writer': c.writer });
      expect(row.strategy).toBe('attribute');
    });
  });

  it('keeps spreading across rounds', async () => {
    const seen: FakeLlmRequest[] = [];
    const fx = await llm(scriptedTeacher({ attributes: () => DIMENSIONS }, seen));
    const strategy = new AttributeStrategy();
    for (let round = 1; round <= 3; round++)
      await strategy.produce(contextFor(task, fx.teacher, { round, seed: round }), 2);
    const tones = seen.filter((r) => kindOf(r) === 'generate').map((r) => askedAttributes(r).tone);
    expect(new Set(tones).size).toBe(3);
  });

  it('serves weak labels first and aims at the weakest attribute values', async () => {
    const seen: FakeLlmRequest[] = [];
    const fx = await llm(scriptedTeacher({ attributes: () => DIMENSIONS }, seen));
    const ctx = contextFor(task, fx.teacher, {
      weaknesses: {
        weakest: [
          { label: 'other', f1: 0.1 },
          { label: 'bug', f1: 0.4 },
        ],
        weakSkills: [
          { attribute: 'attr.tone', value: 'confused', label: 'billing', errorRate: 0.8, support: 10 },
          { attribute: 'attr.length', value: 'a paragraph', errorRate: 0.5, support: 10 },
          { attribute: 'attr.unknown', value: 'x', errorRate: 0.9, support: 10 },
        ],
      },
    });
    await new AttributeStrategy().produce(ctx, 8);
    const gens = seen.filter((r) => kindOf(r) === 'generate');
    expect(gens.map((r) => generationAsk(r)!.label)).toEqual(['billing', 'other', 'bug', 'other']);
    expect(askedAttributes(gens[0]).tone).toBe('confused');
    expect(askedAttributes(gens[1]).length).toBe('a paragraph');
  });

  it('falls back to plain requests when the teacher cannot propose dimensions', async () => {
    const seen: FakeLlmRequest[] = [];
    const fx = await llm(scriptedTeacher({ attributes: () => ({ dimensions: [] }) }, seen));
    const out = await new AttributeStrategy().produce(contextFor(task, fx.teacher), 4);
    expect(out.rows).toHaveLength(4);
    expect(seen.filter((r) => kindOf(r) === 'generate').every((r) => !userPrompt(r).includes('attributes:'))).toBe(
      true,
    );
    expect(out.rows.every((r) => r.attributes === undefined)).toBe(true);
  });
});

describe('attribute strategy (dataset teacher, offline)', () => {
  const context: TeacherTaskContext = {
    instruction: TASK.instruction,
    labels: [{ name: 'billing' }, { name: 'bug' }],
    multiLabel: false,
  };
  const ROWS = topicRows(7);
  const topicOf = new Map(ROWS.map((r) => [r.text, r.topic]));

  function setup() {
    const made = datasetTeacherOver(ROWS, context);
    keep(made.dir);
    return { ...made, task: taskFor(context, { model: `dataset:${made.file}` }) };
  }

  it('uses the per-label clusters as attribute values and gets rows of the asked cluster', async () => {
    const { teacher, task: t } = setup();
    const clusters = teacher.clusters!();
    const out = await new AttributeStrategy().produce(contextFor(t, teacher), 12);
    expect(out.rows).toHaveLength(12);
    expect(out.answers).toBe(12);
    // Three clusters per label, two requests of two each per label: every cluster asked once.
    const asked = out.rows.map((r) => r.attributes!.cluster);
    expect(new Set(asked).size).toBe(6);
    for (const row of out.rows) {
      const cluster = clusters.get(row.attributes!.cluster)!;
      expect(cluster.label).toBe(row.labels[0]);
      expect(topicOf.get(row.text)).toBe(ROWS[cluster.members[0]].topic);
    }
  });

  it('aims at a weak cluster first', async () => {
    const { teacher, task: t } = setup();
    const weakCluster = teacher.clusters!().clustersOf('bug')[2];
    const ctx = contextFor(t, teacher, {
      weaknesses: {
        weakSkills: [{ attribute: 'cluster', value: weakCluster.id, label: 'bug', errorRate: 0.7, support: 5 }],
      },
    });
    const out = await new AttributeStrategy().produce(ctx, 4);
    expect(out.rows.slice(0, 2).map((r) => r.attributes!.cluster)).toEqual([weakCluster.id, weakCluster.id]);
  });

  it('is deterministic for a file and seed', async () => {
    const a = setup();
    const b = setup();
    const first = await new AttributeStrategy().produce(contextFor(a.task, a.teacher), 8);
    const second = await new AttributeStrategy().produce(contextFor(b.task, b.teacher), 8);
    expect(second.rows).toEqual(first.rows);
  });
});
