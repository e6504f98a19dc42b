import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labelPool } from '../loop/acquire.js';
import { CorrectionStore, readCorrections } from '../store/corrections.js';
import { withHumanLabels } from './human-labels.js';
import type { LabelInput, Teacher } from './types.js';

/** A teacher that labels everything `billing` and records what it was asked. */
function recordingTeacher(): Teacher & { asked: string[] } {
  const asked: string[] = [];
  return {
    id: 'test:teacher',
    kind: 'llm',
    concurrency: 1,
    asked,
    async label(inputs: LabelInput[]) {
      asked.push(...inputs.map((i) => i.text));
      return inputs.map((i) => ({ id: i.id, ok: true as const, labels: ['billing'] }));
    },
    async generate(request) {
      return { label: request.label, texts: [], rejected: [], answers: 0 };
    },
  };
}

function withCorrections<T>(fn: (file: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'human-labels-'));
  const file = join(dir, 'corrections.sqlite');
  const store = new CorrectionStore(file);
  const base = { task: 'routing', reviewer: 'ana', run: 'r' };
  store.add({ ...base, textId: 'a', text: 'refund me', labels: ['refund'], decision: 'relabel' });
  store.add({ ...base, textId: 'b', text: 'bad row', labels: [], decision: 'unusable' });
  store.add({ ...base, textId: 'c', text: 'undone', labels: ['shipping'], decision: 'relabel', reviewer: 'bo' });
  store.undoLast('bo', 'routing');
  store.close();
  return fn(file).finally(() => rmSync(dir, { recursive: true, force: true }));
}

describe('withHumanLabels', () => {
  it('answers corrected texts from the corrections file (source human, reviewer) and asks the teacher only for the rest', () =>
    withCorrections(async (file) => {
      const teacher = recordingTeacher();
      const human = withHumanLabels(teacher, readCorrections(file, 'routing').labels);
      const out = await human.label([
        { id: '1', text: 'refund me' },
        { id: '2', text: 'what is this charge' },
        { id: '3', text: 'undone' },
      ]);
      expect(out).toEqual([
        { id: '1', ok: true, labels: ['refund'], confidence: 1, source: 'human', reviewer: 'ana' },
        { id: '2', ok: true, labels: ['billing'] },
        { id: '3', ok: true, labels: ['billing'] },
      ]);
      expect(teacher.asked).toEqual(['what is this charge', 'undone']);
      // Every text corrected: the teacher is not called at all.
      await human.label([{ id: '4', text: 'refund me' }]);
      expect(teacher.asked).toHaveLength(2);
    }));

  it('pool labeling through it makes human rows with the reviewer, teacher rows as before', () =>
    withCorrections(async (file) => {
      const teacher = recordingTeacher();
      const human = withHumanLabels(teacher, readCorrections(file, 'routing').labels);
      const out = await labelPool(human, ['refund me', 'what is this charge'], 2);
      expect(out.rows).toEqual([
        { text: 'refund me', labels: ['refund'], source: 'human', strategy: 'pool', confidence: 1, reviewer: 'ana' },
        { text: 'what is this charge', labels: ['billing'], source: 'pool', strategy: 'pool', confidence: undefined },
      ]);
    }));

  it('no corrections: the teacher itself', () => {
    const teacher = recordingTeacher();
    expect(withHumanLabels(teacher, new Map())).toBe(teacher);
  });
});
