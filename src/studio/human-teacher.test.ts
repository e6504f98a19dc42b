import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LabelInput, Teacher } from '../teacher/types.js';
import { withHumanLabels } from './human-teacher.js';
import { CorrectionStore, humanLabels } from './server/corrections.js';

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

describe('withHumanLabels', () => {
  it('answers corrected texts from the studio’s corrections and asks the teacher only for the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'studio-human-'));
    try {
      const file = join(dir, 'corrections.sqlite');
      const store = new CorrectionStore(file);
      const base = { task: 'routing', reviewer: 'ana', run: 'r' };
      store.add({ ...base, textId: 'a', text: 'refund me', labels: ['refund'], decision: 'relabel' });
      store.add({ ...base, textId: 'b', text: 'bad row', labels: [], decision: 'unusable' });
      store.add({ ...base, textId: 'c', text: 'undone', labels: ['shipping'], decision: 'relabel', reviewer: 'bo' });
      store.undoLast('bo', 'routing');
      store.close();

      const teacher = recordingTeacher();
      const human = withHumanLabels(teacher, humanLabels(file, 'routing'));
      const out = await human.label([
        { id: '1', text: 'refund me' },
        { id: '2', text: 'what is this charge' },
        { id: '3', text: 'undone' },
      ]);
      expect(out).toEqual([
        { id: '1', ok: true, labels: ['refund'], confidence: 1, rationale: 'human' },
        { id: '2', ok: true, labels: ['billing'] },
        { id: '3', ok: true, labels: ['billing'] },
      ]);
      expect(teacher.asked).toEqual(['what is this charge', 'undone']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
