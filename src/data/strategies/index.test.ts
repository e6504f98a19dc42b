import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { llmFixture } from '../../../test/fake-llm/llm-fixture.js';
import { ConfigError } from '../../errors.js';
import { GENERATION_STRATEGIES } from '../../task/schema.js';
import {
  AttributeStrategy,
  MultiHopStrategy,
  RetrieveStrategy,
  STRATEGIES,
  TreeStrategy,
  buildStrategies,
} from './index.js';
import { contextFor, scriptedTeacher, taskFor } from './strategy.fixture.js';

const CONTEXT = {
  instruction: 'Route each support message to a team.',
  labels: [{ name: 'billing' }, { name: 'bug' }],
  multiLabel: false,
};

describe('strategy registry', () => {
  it('has a factory for every strategy a task may name, each building a strategy of that name', () => {
    expect(Object.keys(STRATEGIES).sort()).toEqual([...GENERATION_STRATEGIES].sort());
    const task = taskFor(CONTEXT, { data: { retrieveFrom: '/tmp/corpus.txt' } });
    for (const name of GENERATION_STRATEGIES) expect(STRATEGIES[name](task).name).toBe(name);
  });

  it("builds the task's strategies in its order, one instance each", () => {
    const task = taskFor(CONTEXT, {
      data: {
        strategies: ['tree', 'attribute', 'multi-hop', 'tree', 'retrieve'],
        retrieveFrom: '/tmp/corpus.txt',
        hops: 2,
      },
    });
    const built = buildStrategies(task);
    expect(built.map((s) => s.name)).toEqual(['tree', 'attribute', 'multi-hop', 'retrieve']);
    expect(built[0]).toBeInstanceOf(TreeStrategy);
    expect(built[1]).toBeInstanceOf(AttributeStrategy);
    expect(built[2]).toBeInstanceOf(MultiHopStrategy);
    expect(built[3]).toBeInstanceOf(RetrieveStrategy);
    expect(buildStrategies(taskFor(CONTEXT)).map((s) => s.name)).toEqual(['weak-label', 'hard-negative']);
  });

  it('refuses `retrieve` without a corpus, naming the setting', () => {
    const task = taskFor(CONTEXT, { data: { strategies: ['weak-label', 'retrieve'] } });
    expect(() => buildStrategies(task)).toThrow(ConfigError);
    expect(() => buildStrategies(task)).toThrow(/retrieve/);
  });
});

describe('every strategy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'apprentice-strategies-'));
  const corpus = join(dir, 'corpus.txt');
  writeFileSync(
    corpus,
    Array.from({ length: 30 }, (_, i) => `support message number ${i} about a charge or a crash`).join('\n'),
  );
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const context = {
    ...CONTEXT,
    seeds: [
      { text: 'charged twice', labels: ['billing'] },
      { text: 'app crashes', labels: ['bug'] },
    ],
  };

  it.each(GENERATION_STRATEGIES.map((name) => [name]))(
    '%s spends at most the answers it is given, however generous the teacher',
    async (name) => {
      const generous = scriptedTeacher({
        attributes: () => ({ dimensions: [{ name: 'tone', values: ['angry', 'calm', 'curt'] }] }),
        partition: (labels) => ({
          labels: labels.map((label) => ({
            label,
            subtopics: [
              { name: 'a', description: 'a' },
              { name: 'b', description: 'b' },
            ],
          })),
        }),
        extract: () => ({
          items: [
            { topic: 't', attributes: [] },
            { topic: 'u', attributes: [] },
            { topic: 'v', attributes: [] },
          ],
        }),
        generate: (label, n, prompt) => Array.from({ length: n + 5 }, (_, i) => `${label} ${i} ${prompt.length}`),
        label: () => 'bug',
      });
      const fx = await llmFixture(generous, { task: context });
      try {
        const task = taskFor(context, { data: { strategies: [name], retrieveFrom: corpus, hops: 2 } });
        const [strategy] = buildStrategies(task);
        let spent = 0;
        for (const answers of [5, 3, 1, 0]) {
          const out = await strategy.produce(contextFor(task, fx.teacher), answers);
          expect(out.answers).toBeLessThanOrEqual(answers);
          expect(out.rows.length).toBeLessThanOrEqual(out.answers);
          spent += out.answers;
          expect(fx.gate.used().answers).toBe(spent);
        }
        expect(spent).toBe(9);
      } finally {
        await fx.stop();
      }
    },
  );
});
