import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, ModelFileError } from '../../errors.js';
import { encodeModelFile } from '../model-file.js';
import { getStudentKind, listStudentKinds, loadStudent, saveStudent, trainStudent } from '../registry.js';
import { runStudentContract } from '../student.contract.js';
import { multiTopicRows, TOPIC_LABELS, topicRows } from '../synthetic-topics.js';
import { hashText, normalizeText, tokenize } from './hashing.js';
import { hashedLinearKind, type HashedLinearStudent } from './index.js';

runStudentContract('hashed-linear', {
  train: (rows, options) => trainStudent('hashed-linear', rows, options, {}),
  load: (bytes) => loadStudent(bytes),
});

const options = { labels: TOPIC_LABELS, multiLabel: false, seed: 3 };

describe('hashed-linear featurizing', () => {
  it('normalizes case, accents and apostrophes', () => {
    expect(normalizeText('Café NAÏVE don’t')).toBe("cafe naive don't");
  });

  it('keeps words with inner apostrophes and punctuation as tokens', () => {
    expect(tokenize(normalizeText("Where's my card?!"))).toEqual(["where's", 'my', 'card', '?', '!']);
  });

  it('hashes deterministically into the bucket range', () => {
    const cfg = { bits: 12, wordNgrams: 2, charMin: 3, charMax: 5 };
    const a = hashText('The quick brown fox', cfg);
    const b = hashText('the QUICK brown fox', cfg);
    expect(a.words).toEqual(b.words);
    expect(a.chars).toEqual(b.chars);
    expect(a.words).toHaveLength(4 + 3);
    for (const h of [...a.words, ...a.chars]) expect(h >= 0 && h < 4096).toBe(true);
  });
});

describe('hashed-linear training modes', () => {
  it('holds out, early-stops and refits from 500 rows; calibrates a temperature', () => {
    const student = trainStudent('hashed-linear', topicRows(130, 11), options) as HashedLinearStudent;
    expect(student.state.info.mode).toBe('holdout+refit');
    expect(student.state.temperature).toBeGreaterThan(0);
    const test = topicRows(25, 12);
    const hits = test.filter((r) => student.predict(r.text).labels[0] === r.labels[0]).length;
    expect(hits / test.length).toBeGreaterThanOrEqual(0.9);
  });

  it('trains on a handful of rows without calibration data', () => {
    const rows = topicRows(2, 5);
    const student = trainStudent('hashed-linear', rows, options) as HashedLinearStudent;
    expect(student.state.info.mode).toBe('uncalibrated');
    expect(student.predict(rows[0].text).labels).toEqual(rows[0].labels);
  });

  it('unquantized weights round-trip exactly too', () => {
    const student = trainStudent('hashed-linear', topicRows(10, 6), options, { quantize: 'none' });
    const loaded = loadStudent(student.toBytes());
    for (const r of topicRows(5, 7))
      expect(Array.from(loaded.predict(r.text).probs)).toEqual(Array.from(student.predict(r.text).probs));
  });

  it('multi-label: when every training row has a label, some label is always predicted', () => {
    const rows = multiTopicRows(120, 8).filter((r) => r.labels.length > 0);
    const student = trainStudent('hashed-linear', rows, { ...options, multiLabel: true }) as HashedLinearStudent;
    expect(student.state.atLeastOne).toBe(true);
    for (const text of ['', 'zzz qqq', 'the a and']) expect(student.predict(text).labels).toHaveLength(1);
  });

  it('multi-label: a label is predicted at calibrated probability ≥ 0.5 unless label-f1 cuts are asked for', () => {
    const rows = multiTopicRows(600, 9);
    const byProbability = trainStudent('hashed-linear', rows, { ...options, multiLabel: true }) as HashedLinearStudent;
    expect(byProbability.state.thresholds).toEqual(TOPIC_LABELS.map(() => 0.5));
    for (const r of multiTopicRows(20, 10)) {
      const p = byProbability.predict(r.text);
      const above = TOPIC_LABELS.filter((_, k) => p.probs[k] >= 0.5);
      expect(p.labels).toEqual(
        above.length > 0 || !byProbability.state.atLeastOne
          ? above
          : [TOPIC_LABELS[p.probs.indexOf(Math.max(...p.probs))]],
      );
    }
    const byLabelF1 = trainStudent(
      'hashed-linear',
      rows,
      { ...options, multiLabel: true },
      // Unpruned: these synthetic topics are separable, and the 10% of features pruning keeps
      // saturate the held-out probabilities so that every F1-best cut lands on 0.5 itself.
      { multiLabelDecision: 'label-f1', keepFraction: 1 },
    ) as HashedLinearStudent;
    expect(byLabelF1.state.thresholds).toHaveLength(TOPIC_LABELS.length);
    expect(byLabelF1.state.thresholds!.some((t) => t !== 0.5)).toBe(true);
    expect(loadStudent(byLabelF1.toBytes()).predict('x y z').labels).toEqual(byLabelF1.predict('x y z').labels);
  });

  it('rejects rows that do not fit the task', () => {
    expect(() => trainStudent('hashed-linear', [{ text: 'x', labels: ['nope'] }], options)).toThrow(
      /unknown label "nope"/,
    );
    expect(() => trainStudent('hashed-linear', [{ text: 'x', labels: ['sports', 'cooking'] }], options)).toThrow(
      ConfigError,
    );
    expect(() => trainStudent('hashed-linear', [], options)).toThrow(ConfigError);
    expect(() => trainStudent('hashed-linear', [{ text: 'x', labels: ['sports'], weight: -1 }], options)).toThrow(
      /weight/,
    );
  });
});

describe('student registry', () => {
  it('lists hashed-linear and refuses unknown kinds by naming the known ones', () => {
    expect(listStudentKinds().map((k) => k.name)).toContain('hashed-linear');
    expect(getStudentKind('hashed-linear')).toBe(hashedLinearKind);
    expect(() => getStudentKind('bert')).toThrow(/unknown student kind "bert"; known kinds: .*hashed-linear/);
  });

  it('validates params and names the field', () => {
    const rows = topicRows(2, 1);
    try {
      trainStudent('hashed-linear', rows, options, { l2: -1 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).field).toBe('student.params.l2');
    }
    expect(() => trainStudent('hashed-linear', rows, options, { charMin: 6, charMax: 4 })).toThrow(/charMin/);
    expect(() => trainStudent('hashed-linear', rows, options, { nonsense: 1 })).toThrow(/nonsense/);
  });

  it('refuses a model of an unknown kind', () => {
    const bytes = encodeModelFile({ kind: 'mystery' }, []);
    expect(() => loadStudent(bytes)).toThrow(/unknown student kind "mystery"/);
    expect(() => hashedLinearKind.fromBytes(bytes)).toThrow(ModelFileError);
  });

  describe('files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apprentice-student-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('saves atomically and loads from a path', () => {
      const student = trainStudent('hashed-linear', topicRows(10, 2), options);
      const path = join(dir, 'nested', 'model.bin');
      const bytes = saveStudent(student, path);
      expect(bytes).toBe(student.toBytes().length);
      expect(readdirSync(join(dir, 'nested'))).toEqual(['model.bin']);
      const loaded = loadStudent(path);
      expect(loaded.predict('the striker scored a goal').labels).toEqual(
        student.predict('the striker scored a goal').labels,
      );
    });

    it('names the path in ModelFileError', () => {
      const missing = join(dir, 'missing.bin');
      expect(existsSync(missing)).toBe(false);
      try {
        loadStudent(missing);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(ModelFileError);
        expect((e as ModelFileError).file).toBe(missing);
      }
    });
  });
});

describe('hashed-linear parameters', () => {
  it('trains with char n-grams weighted out or switched off', () => {
    const rows = topicRows(10, 9);
    for (const params of [{ charWeight: 0 }, { charMax: 0 }, { wordNgrams: 1, minDf: 2 }]) {
      const student = trainStudent('hashed-linear', rows, options, params);
      for (const text of ['', '?', 'goal']) {
        const p = student.predict(text);
        expect(Array.from(p.probs).every(Number.isFinite)).toBe(true);
      }
    }
  });
});

describe('hashed-linear vocabulary cap', () => {
  it('keeps the most frequent features when maxFeatures binds', () => {
    const rows = topicRows(10, 10);
    const capped = trainStudent('hashed-linear', rows, options, {
      maxFeatures: 50,
      keepFraction: 1,
    }) as HashedLinearStudent;
    expect(capped.state.buckets.length).toBe(50);
    expect(capped.state.info.features).toBe(50);
    // The survivors are the commonest: their IDF is no higher than any dropped feature's could be.
    const full = trainStudent('hashed-linear', rows, options, { keepFraction: 1 }) as HashedLinearStudent;
    const maxKept = Math.max(...capped.state.idf);
    const dropped = Array.from(full.state.buckets)
      .map((b, i) => [b, full.state.idf[i]] as const)
      .filter(([b]) => !capped.state.buckets.includes(b));
    for (const [, idf] of dropped) expect(idf).toBeGreaterThanOrEqual(maxKept);
  });
});
