import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetExtractTeacher } from '../../../data/extract/dataset-extract-teacher.js';
import type { SpanNoise } from '../../../data/extract/dataset-extract-teacher.js';
import { MemoryStore } from '../../../store/memory-store.js';
import { SPAN_TYPES, spanRows } from '../../../student/sequence/synthetic-spans.js';
import { TeacherSettingsSchema } from '../../../task/schema.js';
import { CallGate } from '../../../teacher/call-gate.js';
import type { Span } from '../../../text/spans/types.js';

/** The synthetic span task (student/sequence/synthetic-spans.ts) as an entity JSONL file of distinct texts, with its gold spans by text. */
export function syntheticFile(
  dir: string,
  n: number,
  seed: number,
  novel = false,
): { file: string; gold: Map<string, Span[]> } {
  const gold = new Map<string, Span[]>();
  for (const r of spanRows(n, seed, novel)) if (!gold.has(r.text)) gold.set(r.text, [...r.spans]);
  const file = join(dir, `synthetic-${n}-${seed}${novel ? '-novel' : ''}.jsonl`);
  writeFileSync(
    file,
    [...gold]
      .map(([text, spans]) => JSON.stringify({ text, entities: spans.map((s) => ({ type: s.type, text: s.text })) }))
      .join('\n'),
  );
  return { file, gold };
}

/** A dataset extraction teacher over `file` with the given span noise, behind a fresh gate. */
export function noisyTeacher(file: string, noise: Partial<SpanNoise>, seed = 3) {
  const gate = new CallGate({ store: new MemoryStore(), runId: 'r', teacherId: 't', budget: {} });
  const teacher = new DatasetExtractTeacher(
    TeacherSettingsSchema.parse({ model: `dataset:${file}`, spanNoise: noise }),
    { gate, types: [...SPAN_TYPES], seed },
  );
  return { teacher, gate };
}
