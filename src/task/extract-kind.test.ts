import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { applyOverrides, loadTask } from './load.js';

const dir = mkdtempSync(join(tmpdir(), 'apprentice-extract-kind-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'pool.txt'), 'Ada flew to Paris\n');
writeFileSync(join(dir, 'train.conll'), 'Ada\tB-person\nflew\tO\n\n');

const GOOD = `kind: extract
name: people-places
instruction: Mark the people and places in each sentence.
types:
  - name: person
    description: a named human
  - place
seeds:
  - text: Ada met Bob in Paris; ada left.
    entities:
      - { type: person, text: Ada }
      - { type: place, text: Paris }
      - { type: person, text: ada }
  - text: Nothing to see here.
pool: pool.txt
teacher:
  model: dataset:./train.conll
`;

let n = 0;
function taskFile(content: string): string {
  const path = join(dir, `task-${n++}.yaml`);
  writeFileSync(path, content);
  return path;
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('kind: extract task files', () => {
  it('reads types with descriptions and places seed mentions at offsets (k-th listing on the k-th occurrence)', () => {
    const task = loadTask(taskFile(GOOD));
    expect(task.kind).toBe('extract');
    expect(task.labels).toEqual([{ name: 'person', description: 'a named human' }, { name: 'place' }]);
    expect(task.seeds).toEqual([]);
    expect(task.student.kind).toBe('sequence-perceptron');
    expect(task.spanSeeds).toEqual([
      {
        text: 'Ada met Bob in Paris; ada left.',
        spans: [
          { start: 0, end: 3, type: 'person', text: 'Ada' },
          { start: 15, end: 20, type: 'place', text: 'Paris' },
          { start: 22, end: 25, type: 'person', text: 'ada' },
        ],
      },
      { text: 'Nothing to see here.', spans: [] },
    ]);
  });

  it('names the field and line of a seed entity of an unknown type', () => {
    const e = configError(() =>
      loadTask(taskFile(GOOD.replace('{ type: place, text: Paris }', '{ type: plce, text: Paris }'))),
    );
    expect(e.field).toBe('seeds.0.entities.1.type');
    expect(e.message).toMatch(/`plce` is not one of the task's types \(line 12\)/);
    expect(e.hint).toMatch(/did you mean `place`/);
  });

  it('names the field and line of a seed mention that is not in its text', () => {
    const e = configError(() =>
      loadTask(taskFile(GOOD.replace('{ type: person, text: ada }', '{ type: person, text: Grace }'))),
    );
    expect(e.field).toBe('seeds.0.entities.2.text');
    expect(e.message).toMatch(/"Grace" is not in the seed's text \(line 13\)/);
  });

  it('refuses a mention listed more often than it occurs', () => {
    const e = configError(() =>
      loadTask(taskFile(GOOD.replace('{ type: person, text: ada }', '{ type: place, text: Paris }'))),
    );
    expect(e.field).toBe('seeds.0.entities.2.text');
    expect(e.message).toMatch(/more times than it occurs/);
  });

  it('an unknown kind, or classification keys in an extraction task, fail naming the field', () => {
    const kind = configError(() => loadTask(taskFile(GOOD.replace('kind: extract', 'kind: extrct'))));
    expect(kind.field).toBe('kind');
    expect(kind.message).toMatch(/line 1/);
    expect(kind.hint).toMatch(/did you mean `extract`/);
    const labels = configError(() => loadTask(taskFile(`${GOOD}labels: [a, b]\n`)));
    expect(labels.message).toMatch(/unknown key `labels`/);
    const noTypes = configError(() => loadTask(taskFile(GOOD.replace(/types:\n(.*\n){3}/, ''))));
    expect(noTypes.message).toMatch(/types/);
  });

  it('CLI overrides keep the kind, types and seeds', () => {
    const task = loadTask(taskFile(GOOD));
    const over = applyOverrides(task, { budgetAnswers: 50 }, { cwd: dir });
    expect(over.kind).toBe('extract');
    expect(over.spanSeeds).toEqual(task.spanSeeds);
    expect(over.labels).toEqual(task.labels);
    expect(over.budget.answers).toBe(50);
  });
});
