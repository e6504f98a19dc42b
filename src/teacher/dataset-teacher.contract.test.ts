import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { TeacherSettingsSchema } from '../task/schema.js';
import { createDatasetTeacher } from './dataset-teacher.js';
import { CONTRACT_EXAMPLES, runTeacherContract } from './teacher.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'apprentice-dataset-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Beyond the contract's examples, spare rows per label: generate() hands out only rows the run has not seen.
const spare = ['billing', 'bug', 'praise', 'other'].flatMap((label) =>
  [1, 2, 3].map((i) => ({ text: `spare ${label} example ${i}`, label })),
);
const file = join(dir, 'contract.jsonl');
writeFileSync(file, [...CONTRACT_EXAMPLES, ...spare].map((r) => JSON.stringify(r)).join('\n'));

runTeacherContract('dataset', ({ gate, task }) =>
  createDatasetTeacher(TeacherSettingsSchema.parse({ model: `dataset:${file}`, batchSize: 4 }), {
    task,
    gate,
    seed: 42,
  }),
);
