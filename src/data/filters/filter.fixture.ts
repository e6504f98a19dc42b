import { FIXTURE_TASK, llmFixture, type FixtureOptions, type LlmFixture } from '../../../test/fake-llm/llm-fixture.js';
import type { FakeHandler } from '../../../test/fake-llm/types.js';
import { taskFromObject } from '../../task/load.js';
import type { DataSettings, Task } from '../../task/schema.js';
import type { Teacher } from '../../teacher/types.js';
import type { CandidateRow } from '../candidate.js';
import type { KnownRows } from '../strategies/types.js';
import type { FilterContext } from './types.js';

/** Test helpers for the filters: a task, known rows, and a context around a teacher. */

export function filterTask(data: Partial<DataSettings> = {}): Task {
  return taskFromObject(
    {
      name: 'filters',
      instruction: FIXTURE_TASK.instruction,
      labels: FIXTURE_TASK.labels.map((l) => l.name),
      teacher: { model: 'openai:gpt-4o-mini' },
      data,
    },
    { baseDir: '/' },
  );
}

export function knownRows(
  rows: { text: string; labels: string[] }[] = [],
  seeds: { text: string; labels: string[] }[] = [],
): KnownRows {
  const texts = new Set([...seeds, ...rows].map((r) => r.text));
  return { seeds, rows, has: (text) => texts.has(text) };
}

export function candidate(text: string, label: string, source: CandidateRow['source'] = 'generated'): CandidateRow {
  return { text, labels: [label], source, strategy: source === 'pool' ? 'pool' : 'weak-label' };
}

export function filterContext(teacher: Teacher, overrides: Partial<FilterContext> = {}): FilterContext {
  return {
    task: filterTask(),
    teacher,
    round: 1,
    known: knownRows(),
    evalTexts: [],
    answers: 1000,
    ...overrides,
  };
}

/** An LlmTeacher on the fake server, with a context builder around it. */
export async function filterFixture(
  handler: FakeHandler,
  options: FixtureOptions = {},
): Promise<LlmFixture & { ctx: (overrides?: Partial<FilterContext>) => FilterContext }> {
  const fx = await llmFixture(handler, options);
  return { ...fx, ctx: (overrides) => filterContext(fx.teacher, overrides) };
}
