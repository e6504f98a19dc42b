import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelFileError } from '../errors.js';
import { TOPIC_LABELS, topicRows } from '../../test/fixtures/topics.js';
import { saveStudent, trainStudent } from './registry.js';
import { SPAN_TYPES, spanRows } from './sequence/synthetic-spans.js';
import { loadModel, saveSpanStudent } from './load-model.js';
import { loadSpanStudent, trainSpanStudent } from './span-registry.js';

const dir = mkdtempSync(path.join(tmpdir(), 'apprentice-span-registry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadModel: one loader for both registries, dispatching on the header kind', () => {
  it('loads an extraction model as task "extract", with the same spans after the round trip', () => {
    const student = trainSpanStudent('sequence-perceptron', spanRows(60, 1), { types: [...SPAN_TYPES], seed: 1 });
    const file = path.join(dir, 'ner.bin');
    saveSpanStudent(student, file);
    const loaded = loadModel(file);
    expect(loaded.task).toBe('extract');
    const text = 'Grace flew to Lima last week';
    expect(loaded.student.predict(text)).toEqual(student.predict(text));
    expect(loadSpanStudent(file).types).toEqual([...SPAN_TYPES]);
  });

  it('loads a classification model unchanged', () => {
    const rows = topicRows(40, 1).map((r) => ({ text: r.text, labels: [r.label] }));
    const student = trainStudent('hashed-linear', rows, { labels: TOPIC_LABELS, multiLabel: false, seed: 1 });
    const file = path.join(dir, 'clf.bin');
    saveStudent(student, file);
    const loaded = loadModel(file);
    expect(loaded.task).toBe('classify');
    if (loaded.task === 'classify')
      expect(loaded.student.predict('invoice refund')).toEqual(student.predict('invoice refund'));
    expect(() => loadSpanStudent(file)).toThrow(/not an extraction student kind/);
  });

  it('a damaged extraction model is a ModelFileError naming the file', () => {
    const bytes = readFileSync(path.join(dir, 'ner.bin'));
    const file = path.join(dir, 'broken.bin');
    writeFileSync(file, bytes.subarray(0, bytes.length - 10));
    let error: unknown;
    try {
      loadModel(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).file).toBe(file);
  });
});
