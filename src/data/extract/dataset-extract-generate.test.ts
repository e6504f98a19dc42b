import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../store/memory-store.js';
import { TeacherSettingsSchema } from '../../task/schema.js';
import { CallGate } from '../../teacher/call-gate.js';
import { textId } from '../../util/hash.js';
import { DatasetExtractTeacher } from './dataset-extract-teacher.js';

const dir = mkdtempSync(join(tmpdir(), 'apprentice-extract-generate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FILE = join(dir, 'rows.jsonl');
// 6 rows with a person only, 4 with a place only, 3 with both, 5 with nothing.
const rows: { text: string; entities: { type: string; text: string }[] }[] = [
  ...Array.from({ length: 6 }, (_, i) => ({ text: `Ada${i} smiled`, entities: [{ type: 'person', text: `Ada${i}` }] })),
  ...Array.from({ length: 4 }, (_, i) => ({
    text: `Rome${i} is far`,
    entities: [{ type: 'place', text: `Rome${i}` }],
  })),
  ...Array.from({ length: 3 }, (_, i) => ({
    text: `Bob${i} went to Oslo${i}`,
    entities: [
      { type: 'person', text: `Bob${i}` },
      { type: 'place', text: `Oslo${i}` },
    ],
  })),
  ...Array.from({ length: 5 }, (_, i) => ({ text: `nothing to see ${i}`, entities: [] })),
];
writeFileSync(FILE, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);

function teacher(budget: { answers?: number } = {}, seed = 1) {
  const gate = new CallGate({ store: new MemoryStore(), runId: 'r', teacherId: 't', budget });
  const t = new DatasetExtractTeacher(TeacherSettingsSchema.parse({ model: `dataset:${FILE}` }), {
    gate,
    types: ['person', 'place'],
    seed,
  });
  return { teacher: t, gate };
}

describe('the dataset extraction teacher hands out unused rows aimed at a weakness', () => {
  it('weak type: only rows with a gold mention of it, charged per row, never one asked or handed out before', async () => {
    const { teacher: t, gate } = teacher();
    // A row the run already asked about is never handed out.
    await t.extract([{ id: textId('Bob0 went to Oslo0'), text: 'Bob0 went to Oslo0' }]);
    const first = await t.generate({ type: 'place', n: 4 });
    expect(first.answers).toBe(4);
    expect(gate.used().answers).toBe(1 + 4);
    for (const e of first.examples) {
      expect(e.spans.some((s) => s.type === 'place')).toBe(true);
      for (const s of e.spans) expect(e.text.slice(s.start, s.end)).toBe(s.text);
    }
    const rest = await t.generate({ type: 'place', n: 10 });
    // 7 rows hold a place; one was asked, four handed out: two remain, and only those are charged.
    expect(rest.answers).toBe(2);
    expect(gate.used().answers).toBe(7);
    const all = [...first.examples, ...rest.examples].map((e) => e.text);
    expect(new Set(all).size).toBe(6);
    expect(all).not.toContain('Bob0 went to Oslo0');
    expect(await t.generate({ type: 'place', n: 3 })).toEqual({ examples: [], rejected: [], answers: 0 });
  });

  it('entity-free: rows with no mention; hard negatives: rows where both types occur first, then either', async () => {
    const { teacher: t } = teacher();
    const free = await t.generate({ entityFree: true, n: 10 });
    expect(free.answers).toBe(5);
    expect(free.examples.every((e) => e.spans.length === 0 && e.text.startsWith('nothing'))).toBe(true);
    const pair = await t.generate({ type: 'person', confusedWith: 'place', n: 5 });
    const kinds = pair.examples.map((e) => new Set(e.spans.map((s) => s.type)).size);
    expect(kinds.slice(0, 3)).toEqual([2, 2, 2]);
    expect(kinds.slice(3)).toEqual([1, 1]);
  });

  it('never hands out a text the loop set aside (a near-copy of an eval text)', async () => {
    const { teacher: t } = teacher();
    t.setAside(['nothing to see 0', 'nothing to see 1', '  nothing   to see 2 ']);
    const free = await t.generate({ entityFree: true, n: 10 });
    expect(free.examples.map((e) => e.text).sort()).toEqual(['nothing to see 3', 'nothing to see 4']);
  });

  it('the same seed hands out the same rows; an unknown type is a RangeError', async () => {
    const a = await teacher({}, 7).teacher.generate({ type: 'person', n: 3 });
    const b = await teacher({}, 7).teacher.generate({ type: 'person', n: 3 });
    expect(a.examples.map((e) => e.text)).toEqual(b.examples.map((e) => e.text));
    await expect(teacher().teacher.generate({ type: 'org', n: 1 })).rejects.toThrow(/not one of the task's types/);
  });

  it('stays within the answer budget: the gate refuses a pick larger than what remains', async () => {
    const { teacher: t, gate } = teacher({ answers: 2 });
    await expect(t.generate({ type: 'person', n: 3 })).rejects.toThrow();
    expect(gate.used().answers).toBe(0);
  });
});
