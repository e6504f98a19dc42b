import { describe, expect, it } from 'vitest';
import { BudgetExceededError } from '../errors.js';
import { MemoryStore } from '../store/memory-store.js';
import type { Store } from '../store/types.js';
import type { Budget } from '../task/schema.js';
import { textId } from '../util/hash.js';
import { CallGate } from './call-gate.js';
import type { LabelInput, LabelResult, Teacher, TeacherTaskContext } from './types.js';

/**
 * What every Teacher must do, whatever answers it: LLM teachers against the fake server, the
 * dataset teacher against a file. A suite calls `runTeacherContract` with a factory that builds
 * its teacher behind the gate it is given, able to answer CONTRACT_EXAMPLES correctly.
 */

export const CONTRACT_TASK: TeacherTaskContext = {
  instruction: 'Route each customer support message to the team that should handle it.',
  labels: [
    { name: 'billing', description: 'charges, invoices, refunds, payment methods' },
    { name: 'bug', description: 'something in the product is broken or behaves wrongly' },
    { name: 'praise', description: 'thanks or compliments, no request' },
    { name: 'other', description: 'anything else' },
  ],
  multiLabel: false,
  seeds: [
    { text: 'I was charged twice for May.', labels: ['billing'] },
    { text: 'The export button does nothing.', labels: ['bug'] },
  ],
};

export const CONTRACT_EXAMPLES: { text: string; label: string }[] = [
  { text: 'Why is there a $40 charge on my card?', label: 'billing' },
  { text: 'Please send me the invoice for March.', label: 'billing' },
  { text: 'Can I pay by bank transfer instead?', label: 'billing' },
  { text: 'The app crashes whenever I open settings.', label: 'bug' },
  { text: 'Search returns results from the wrong account.', label: 'bug' },
  { text: 'Love the new dashboard, great work!', label: 'praise' },
  { text: 'Thanks for the quick help yesterday.', label: 'praise' },
  { text: 'Do you have an office in Lisbon?', label: 'other' },
  { text: 'Is there a student discount for the course?', label: 'other' },
];

export interface ContractContext {
  gate: CallGate;
  task: TeacherTaskContext;
  examples: { text: string; label: string }[];
}

export type ContractFactory = (ctx: ContractContext) => Teacher | Promise<Teacher>;

export interface ContractOptions {
  /** HTTP requests the teacher's backend has received so far, when it has one (the fake server). */
  httpRequests?: () => number;
}

const inputs = (texts: string[]): LabelInput[] => texts.map((text) => ({ id: textId(text), text }));
const expected = new Map(CONTRACT_EXAMPLES.map((e) => [e.text, e.label]));
const labelNames = new Set(CONTRACT_TASK.labels.map((l) => l.name));

function gateFor(store: Store, runId: string, budget: Budget = {}): CallGate {
  return new CallGate({ store, runId, teacherId: 'contract-teacher', budget });
}

function checkResults(batch: LabelInput[], results: LabelResult[]): void {
  expect(results).toHaveLength(batch.length);
  results.forEach((r, i) => {
    expect(r.id).toBe(batch[i].id);
    if (r.ok) {
      expect(r.labels.length).toBeGreaterThan(0);
      for (const l of r.labels) expect(labelNames.has(l)).toBe(true);
      expect(r.labels).toEqual([expected.get(batch[i].text)]);
    } else {
      expect(typeof r.raw).toBe('string');
      expect(r.reason.length).toBeGreaterThan(0);
    }
  });
}

export function runTeacherContract(name: string, factory: ContractFactory, options: ContractOptions = {}): void {
  const make = (gate: CallGate) => factory({ gate, task: CONTRACT_TASK, examples: CONTRACT_EXAMPLES });

  describe(`Teacher contract: ${name}`, () => {
    it('labels every input once, in input order, inside the label set', async () => {
      const teacher = await make(gateFor(new MemoryStore(), 'run-1'));
      expect(['llm', 'dataset']).toContain(teacher.kind);
      expect(teacher.id.length).toBeGreaterThan(0);
      // Reversed and with a repeat, so order and duplicates are both checked.
      const batch = inputs([...CONTRACT_EXAMPLES.map((e) => e.text).reverse(), CONTRACT_EXAMPLES[0].text]);
      const results = await teacher.label(batch);
      checkResults(batch, results);
      expect(results.filter((r) => r.ok).length).toBe(batch.length);
      expect(await teacher.label([])).toEqual([]);
    });

    it('generates n distinct non-empty texts of the asked label, none rejected, from a backend that behaves', async () => {
      const gate = gateFor(new MemoryStore(), 'run-1');
      const teacher = await make(gate);
      const result = await teacher.generate({
        label: 'bug',
        n: 3,
        guidance: { confusedWith: 'billing', note: 'short' },
      });
      expect(result.label).toBe('bug');
      // The factory's backend answers every request well, so an empty or short result is a fault of
      // the teacher (lost texts, a broken parse), not a bad answer it rightly set aside.
      expect(result.rejected).toEqual([]);
      expect(result.texts).toHaveLength(3);
      expect(new Set(result.texts).size).toBe(3);
      for (const t of result.texts) expect(t.trim().length).toBeGreaterThan(0);
      expect(gate.totals().answers).toBe(3);
    });

    it('declares how many requests it wants in flight, and clusters only as a function', async () => {
      const teacher = await make(gateFor(new MemoryStore(), 'run-1'));
      expect(Number.isInteger(teacher.concurrency)).toBe(true);
      expect(teacher.concurrency).toBeGreaterThanOrEqual(1);
      expect(['undefined', 'function']).toContain(typeof teacher.clusters);
    });

    it('says what each generate request was charged, exactly what the gate counted', async () => {
      const gate = gateFor(new MemoryStore(), 'run-1');
      const teacher = await make(gate);
      let before = gate.totals().answers;
      for (const request of [
        { label: 'bug', n: 3 },
        { label: 'billing', n: 2, guidance: { anchors: ['Why is there a $40 charge on my card?'] } },
      ]) {
        const result = await teacher.generate(request);
        expect(result.answers).toBeGreaterThanOrEqual(result.texts.length);
        expect(result.answers).toBeLessThanOrEqual(request.n);
        expect(gate.totals().answers - before).toBe(result.answers);
        before = gate.totals().answers;
      }
      const none = await teacher.generate({ label: 'praise', n: 0 });
      expect(none).toMatchObject({ label: 'praise', texts: [], answers: 0 });
      expect(gate.totals().answers).toBe(before);
    });

    it('if it has clusters: per task label, named label#index, assigning texts to them, for free', async () => {
      const gate = gateFor(new MemoryStore(), 'run-1');
      const teacher = await make(gate);
      if (!teacher.clusters) return;
      const clusters = teacher.clusters();
      expect(clusters.labels().length).toBeGreaterThan(0);
      for (const label of clusters.labels()) {
        expect(labelNames.has(label)).toBe(true);
        clusters.clustersOf(label).forEach((c, i) => {
          expect(c).toMatchObject({ id: `${label}#${i}`, label, index: i });
          expect(c.members.length).toBeGreaterThan(0);
          expect(clusters.get(c.id)).toBe(c);
        });
      }
      for (const e of CONTRACT_EXAMPLES) {
        const ids = clusters.clustersOf(e.label).map((c) => c.id);
        expect(ids).toContain(clusters.assign(e.text, e.label));
      }
      // The same clusters every time (they are what `cluster` guidance names), and no request for them.
      expect(
        teacher
          .clusters()
          .clustersOf('bug')
          .map((c) => c.members),
      ).toEqual(clusters.clustersOf('bug').map((c) => c.members));
      expect(gate.totals().calls).toBe(0);
      const target = clusters.clustersOf('bug')[0];
      const result = await teacher.generate({ label: 'bug', n: 2, guidance: { attributes: { cluster: target.id } } });
      expect(result.label).toBe('bug');
      expect(result.texts.length).toBeLessThanOrEqual(2);
    });

    it('replays a second run on the same store from the cache, without HTTP', async () => {
      const store = new MemoryStore();
      const batch = inputs(CONTRACT_EXAMPLES.map((e) => e.text));
      const work = async (gate: CallGate) => {
        const teacher = await make(gate);
        return { labels: await teacher.label(batch), generated: await teacher.generate({ label: 'praise', n: 2 }) };
      };
      const first = await work(gateFor(store, 'run-1'));
      const httpBefore = options.httpRequests?.();
      const gate2 = gateFor(store, 'run-2');
      const second = await work(gate2);
      expect(second).toEqual(first);
      const totals = gate2.totals();
      expect(totals.calls).toBeGreaterThan(0);
      expect(totals.cacheHits).toBe(totals.calls);
      expect(totals.httpRequests).toBe(0);
      expect(totals.paidRequests).toBe(0);
      expect(totals.answers).toBe(batch.length + 2);
      if (httpBefore !== undefined) expect(options.httpRequests!()).toBe(httpBefore);
    });

    it('respects the answer cap: refuses work beyond it, before sending anything', async () => {
      const gate = gateFor(new MemoryStore(), 'run-1', { answers: 3 });
      const teacher = await make(gate);
      const httpBefore = options.httpRequests?.();
      await expect(teacher.label(inputs(CONTRACT_EXAMPLES.slice(0, 5).map((e) => e.text)))).rejects.toBeInstanceOf(
        BudgetExceededError,
      );
      if (httpBefore !== undefined) expect(options.httpRequests!()).toBe(httpBefore);
      checkResults(
        inputs([CONTRACT_EXAMPLES[0].text, CONTRACT_EXAMPLES[3].text]),
        await teacher.label(inputs([CONTRACT_EXAMPLES[0].text, CONTRACT_EXAMPLES[3].text])),
      );
      await expect(teacher.generate({ label: 'billing', n: 2 })).rejects.toBeInstanceOf(BudgetExceededError);
      expect(gate.used().answers).toBeLessThanOrEqual(3);
      expect(gate.totals().answers).toBe(2);
    });
  });
}
