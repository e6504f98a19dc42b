import { describe, expect, it } from 'vitest';
import type { FakeLlmRequest } from '../../../test/fake-llm/types.js';
import { generationAsk } from '../../../test/fake-llm/scripts.js';
import type { TeacherTaskContext } from '../../teacher/types.js';
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
import { TreeStrategy } from './tree.js';

const TASK: TeacherTaskContext = {
  instruction: 'Route each customer support message to the team that should handle it.',
  labels: [{ name: 'billing' }, { name: 'bug' }],
  multiLabel: false,
};
const task = taskFor(TASK);
const SUBTOPICS: Record<string, { name: string; description: string }[]> = {
  billing: [
    { name: 'refunds', description: 'asking for money back' },
    { name: 'invoices', description: 'asking for or about an invoice' },
    { name: 'card problems', description: 'a payment card that does not work' },
  ],
  bug: [
    { name: 'crashes', description: 'the app closes or freezes' },
    { name: 'login/auth', description: 'cannot sign in' },
  ],
};
const partition = (labels: string[]) => ({
  labels: labels.map((label) => ({ label, subtopics: SUBTOPICS[label] ?? [] })),
});

const { llm, keep } = strategyHarness({ task: TASK, settings: { concurrency: 1 } });
const leafOf = (req: FakeLlmRequest) => /belong to this part of the task: (.*)\.$/m.exec(userPrompt(req))?.[1];

describe('tree strategy (LLM teacher)', () => {
  it('asks once for a partition of every label, about the task', async () => {
    const seen: FakeLlmRequest[] = [];
    const fx = await llm(scriptedTeacher({ partition }, seen));
    const strategy = new TreeStrategy();
    await strategy.produce(contextFor(task, fx.teacher), 4);
    await strategy.produce(contextFor(task, fx.teacher), 4);
    const asks = seen.filter((r) => kindOf(r) === 'partition');
    expect(asks).toHaveLength(1);
    expect(systemPrompt(asks[0])).toContain(TASK.instruction);
    expect(userPrompt(asks[0])).toContain('Labels: "billing", "bug"');
    expect(userPrompt(asks[0])).toMatch(/mutually exclusive.*exhaustive/s);
    expect(strategy.coverage().map((c) => c.leaf)).toEqual([
      'billing/refunds',
      'billing/invoices',
      'billing/card problems',
      'bug/crashes',
      'bug/login-auth',
    ]);
  });

  it('sends each request to the least covered leaf, with its path and description, and counts what came back', async () => {
    const seen: FakeLlmRequest[] = [];
    const fx = await llm(scriptedTeacher({ partition }, seen));
    const strategy = new TreeStrategy();
    const out = await strategy.produce(contextFor(task, fx.teacher), 10);
    const gens = seen.filter((r) => kindOf(r) === 'generate');
    expect(gens.map(leafOf)).toEqual([
      'billing > refunds',
      'billing > invoices',
      'billing > card problems',
      'bug > crashes',
      'bug > login-auth',
    ]);
    expect(gens.map((r) => generationAsk(r)!.label)).toEqual(['billing', 'billing', 'billing', 'bug', 'bug']);
    expect(userPrompt(gens[0])).toContain('Guidance: asking for money back');
    expect(out.rows.filter((r) => r.attributes?.leaf === 'bug/crashes')).toHaveLength(2);
    expect(strategy.coverage().every((c) => c.rows === 2)).toBe(true);
  });

  it('goes back to a leaf whose request came back short before the others', async () => {
    const seen: FakeLlmRequest[] = [];
    let made = 0;
    const short = (label: string, n: number, prompt: string) =>
      prompt.includes('billing > invoices') ? [] : Array.from({ length: n }, () => `${label} text ${++made}`);
    const fx = await llm(scriptedTeacher({ partition, generate: short }, seen));
    const strategy = new TreeStrategy();
    await strategy.produce(contextFor(task, fx.teacher), 10);
    expect(strategy.coverage().find((c) => c.leaf === 'billing/invoices')!.rows).toBe(0);
    seen.length = 0;
    await strategy.produce(contextFor(task, fx.teacher), 2);
    expect(seen.filter((r) => kindOf(r) === 'generate').map(leafOf)).toEqual(['billing > invoices']);
  });

  it('breaks coverage ties towards the weaker label', async () => {
    const seen: FakeLlmRequest[] = [];
    const fx = await llm(scriptedTeacher({ partition }, seen));
    await new TreeStrategy().produce(
      contextFor(task, fx.teacher, { weaknesses: { weakest: [{ label: 'bug', f1: 0.2 }] } }),
      4,
    );
    expect(seen.filter((r) => kindOf(r) === 'generate').map(leafOf)).toEqual(['bug > crashes', 'bug > login-auth']);
  });

  it('partitions many labels in several small questions', async () => {
    const many: TeacherTaskContext = {
      ...TASK,
      labels: Array.from({ length: 10 }, (_, i) => ({ name: `intent_${i}` })),
    };
    const seen: FakeLlmRequest[] = [];
    const fx = await llm(scriptedTeacher({ partition }, seen), { task: many });
    const strategy = new TreeStrategy();
    await strategy.produce(contextFor(taskFor(many), fx.teacher), 2);
    const asked = seen
      .filter((r) => kindOf(r) === 'partition')
      .map((r) => userPrompt(r).match(/"intent_\d+"/g)!.length);
    expect(asked.sort()).toEqual([2, 8]);
    expect(strategy.coverage()).toHaveLength(10);
  });

  it('keeps a label the teacher did not split as one leaf', async () => {
    const fx = await llm(
      scriptedTeacher({ partition: () => ({ labels: [{ label: 'billing', subtopics: SUBTOPICS.billing }] }) }),
    );
    const strategy = new TreeStrategy();
    await strategy.produce(contextFor(task, fx.teacher), 2);
    expect(strategy.coverage().map((c) => c.leaf)).toEqual([
      'billing/refunds',
      'billing/invoices',
      'billing/card problems',
      'bug',
    ]);
  });
});

describe('tree strategy (dataset teacher, offline)', () => {
  it('uses per-label clusters as leaves, fills the least covered first, and rows come from the leaf', async () => {
    const rows = topicRows(7);
    const topicOf = new Map(rows.map((r) => [r.text, r.topic]));
    const made = datasetTeacherOver(rows, TASK);
    keep(made.dir);
    const t = taskFor(TASK, { model: `dataset:${made.file}` });
    const strategy = new TreeStrategy();
    const out = await strategy.produce(contextFor(t, made.teacher), 12);
    expect(strategy.coverage()).toEqual([
      { leaf: 'billing/#0', label: 'billing', rows: 2 },
      { leaf: 'billing/#1', label: 'billing', rows: 2 },
      { leaf: 'billing/#2', label: 'billing', rows: 2 },
      { leaf: 'bug/#0', label: 'bug', rows: 2 },
      { leaf: 'bug/#1', label: 'bug', rows: 2 },
      { leaf: 'bug/#2', label: 'bug', rows: 2 },
    ]);
    const clusters = made.teacher.clusters!();
    for (const row of out.rows) {
      const [label, index] = row.attributes!.leaf.split('/#');
      expect(topicOf.get(row.text)).toBe(rows[clusters.clustersOf(label)[Number(index)].members[0]].topic);
    }
  });
});
