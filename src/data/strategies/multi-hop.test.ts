import { describe, expect, it } from 'vitest';
import type { FakeHandler, FakeLlmRequest } from '../../../test/fake-llm/types.js';
import { generationAsk } from '../../../test/fake-llm/scripts.js';
import type { TeacherTaskContext } from '../../teacher/types.js';
import { MultiHopStrategy } from './multi-hop.js';
import {
  strategyHarness,
  contextFor,
  datasetTeacherOver,
  kindOf,
  listedTexts,
  scriptedTeacher,
  taskFor,
  userPrompt,
} from './strategy.fixture.js';

const SEEDS = ['I was charged twice this month', 'Where is my refund?', 'My card was declined at checkout'];
const TASK: TeacherTaskContext = {
  instruction: 'Route each customer support message to the team that should handle it.',
  labels: [{ name: 'billing' }, { name: 'bug' }],
  multiLabel: false,
  seeds: [
    ...SEEDS.map((text) => ({ text, labels: ['billing'] })),
    { text: 'The app crashes on start', labels: ['bug'] },
  ],
};
const task = taskFor(TASK, { data: { hops: 3 } });
const weakBilling = { weakest: [{ label: 'billing', f1: 0.1 }] };

const { llm, keep } = strategyHarness({ task: TASK, settings: { concurrency: 1 } });
const ANCHOR_HEADING = 'Stay close in topic and style to these examples';

/** A teacher whose examples say which hop wrote them, and whose extraction names the texts it saw. */
function hopTeacher(seen: FakeLlmRequest[]): FakeHandler {
  let made = 0;
  return scriptedTeacher(
    {
      extract: (_label, texts) => ({
        items: [
          {
            topic: `topic of ${texts.length} texts starting ${texts[0].slice(0, 20)}`,
            attributes: [{ name: 'tone', value: 'upset' }],
          },
          { topic: 'a second topic', attributes: [] },
        ],
      }),
      generate: (label, n) => Array.from({ length: n }, () => `${label} generated ${++made}`),
    },
    seen,
  );
}

describe('multi-hop strategy (LLM teacher)', () => {
  it('extracts from the seeds, then from what the previous hop wrote, and starts over after data.hops hops', async () => {
    const seen: FakeLlmRequest[] = [];
    const fx = await llm(hopTeacher(seen));
    const strategy = new MultiHopStrategy(task);
    const hops: { extracted: string[]; generated: string[]; anchors: string[][]; notes: string[] }[] = [];
    for (let hop = 0; hop < 4; hop++) {
      seen.length = 0;
      const out = await strategy.produce(contextFor(task, fx.teacher, { weaknesses: weakBilling }), 4);
      const extract = seen.filter((r) => kindOf(r) === 'extract');
      expect(extract).toHaveLength(1);
      const gens = seen.filter((r) => kindOf(r) === 'generate');
      hops.push({
        extracted: listedTexts(userPrompt(extract[0]), 'Here are texts labeled'),
        generated: out.rows.map((r) => r.text),
        anchors: gens.map((r) => listedTexts(userPrompt(r), ANCHOR_HEADING)),
        notes: gens.map((r) => /^Guidance: (.*)$/m.exec(userPrompt(r))?.[1] ?? ''),
      });
      expect(out.rows.every((r) => r.attributes?.hop === String((hop % 3) + 1))).toBe(true);
      expect(out.answers).toBe(4);
    }
    expect(hops[0].extracted).toEqual(SEEDS);
    expect(hops[1].extracted).toEqual(hops[0].generated);
    expect(hops[2].extracted).toEqual(hops[1].generated);
    // data.hops = 3: the fourth hop expands the seeds again.
    expect(hops[3].extracted).toEqual(SEEDS);
    // Every hop's examples are anchored to the label's seeds, and follow the extracted topics.
    for (const h of hops) {
      expect(h.anchors).toEqual([SEEDS, SEEDS]);
      expect(h.notes).toEqual([expect.stringMatching(/^about topic of/), 'about a second topic']);
    }
    expect(hops[1].notes[0]).toContain('starting billing generated');
  });

  it('chains several hops of one label in a single round and runs labels side by side', async () => {
    const seen: FakeLlmRequest[] = [];
    const fx = await llm(hopTeacher(seen));
    const out = await new MultiHopStrategy(task).produce(contextFor(task, fx.teacher), 16);
    expect(out.answers).toBe(16);
    const extracts = seen.filter((r) => kindOf(r) === 'extract');
    const billing = extracts
      .filter((r) => userPrompt(r).includes('labeled "billing"'))
      .map((r) => listedTexts(userPrompt(r), 'Here are texts labeled'));
    expect(billing[0]).toEqual(SEEDS);
    expect(billing[1].every((t) => t.startsWith('billing generated'))).toBe(true);
    const bugGens = seen.filter((r) => kindOf(r) === 'generate' && generationAsk(r)!.label === 'bug');
    for (const r of bugGens) expect(listedTexts(userPrompt(r), ANCHOR_HEADING)).toEqual(['The app crashes on start']);
  });

  it('still writes examples, anchored to the seeds, when extraction fails', async () => {
    const seen: FakeLlmRequest[] = [];
    const fx = await llm(scriptedTeacher({ extract: () => ({ wrong: true }) }, seen));
    const out = await new MultiHopStrategy(task).produce(contextFor(task, fx.teacher, { weaknesses: weakBilling }), 3);
    expect(out.rows).toHaveLength(3);
    const gens = seen.filter((r) => kindOf(r) === 'generate');
    expect(gens).toHaveLength(1);
    expect(listedTexts(userPrompt(gens[0]), ANCHOR_HEADING)).toEqual(SEEDS);
  });
});

describe('multi-hop strategy (dataset teacher, offline)', () => {
  it('hops along nearest neighbours of the previous hop, within the label', async () => {
    // A chain of billing texts where each step shares words with the next, plus unrelated billing texts.
    const chain = [
      'charged twice for my plan',
      'charged twice again, want the refund',
      'refund still not here after two weeks',
      'two weeks waiting and the bank shows nothing',
    ];
    const noise = Array.from({ length: 6 }, (_, i) => `invoice address update request ${i}`);
    const rows = [
      ...chain.map((text) => ({ text, label: 'billing' })),
      ...noise.map((text) => ({ text, label: 'billing' })),
      { text: 'charged twice crash', label: 'bug' },
    ];
    const context: TeacherTaskContext = { ...TASK, seeds: [{ text: 'I was charged twice', labels: ['billing'] }] };
    const made = datasetTeacherOver(rows, context);
    keep(made.dir);
    const t = taskFor(context, { model: `dataset:${made.file}`, data: { hops: 4 } });
    const strategy = new MultiHopStrategy(t);
    const texts: string[] = [];
    for (let hop = 0; hop < 4; hop++) {
      const out = await strategy.produce(contextFor(t, made.teacher, { weaknesses: weakBilling }), 1);
      expect(out.rows.map((r) => r.labels)).toEqual([['billing']]);
      texts.push(out.rows[0].text);
    }
    expect(texts).toEqual(chain);
    expect(made.store.ledger('run-1').every((e) => e.httpRequests === 0)).toBe(true);
  });
});
