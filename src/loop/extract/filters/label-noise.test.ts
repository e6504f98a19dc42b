import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SPAN_TYPES } from '../../../student/sequence/synthetic-spans.js';
import type { TeacherSpan } from '../../../teacher/extract/types.js';
import { textId } from '../../../util/hash.js';
import { noisyTeacher, syntheticFile } from './filters.fixture.js';
import { findSpanIssues, rowIssues } from './label-noise.js';
import { spanKey } from './span-vote.js';

const dir = mkdtempSync(join(tmpdir(), 'apprentice-span-noise-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('label-noise check on spans (out-of-fold span students)', () => {
  it('flags the spans the dataset teacher corrupted far above chance', async () => {
    const { file, gold } = syntheticFile(dir, 400, 5, true);
    const { teacher } = noisyTeacher(file, { missed: 0.08, wrongType: 0.08, boundary: 0.08 });
    const texts = [...gold.keys()];
    const answers = await teacher.extract(texts.map((text) => ({ id: textId(text), text })));
    const rows = answers.map((a, i) => ({ text: texts[i], spans: a.ok ? (a.spans as TeacherSpan[]) : [] }));
    // The newest half is checked; the older half only trains the out-of-fold students.
    const checked = rows.map((_, i) => i).slice(Math.floor(rows.length / 2));
    const issues = findSpanIssues(rows, checked, { types: SPAN_TYPES, seed: 7, kind: 'sequence-perceptron' });

    let corrupted = 0;
    let teacherSpans = 0;
    for (const i of checked) {
      const g = new Set(gold.get(rows[i].text)!.map(spanKey));
      teacherSpans += rows[i].spans.length;
      corrupted += rows[i].spans.filter((s) => !g.has(spanKey(s))).length;
    }
    const doubted = issues.filter((x) => x.kind === 'doubted');
    const doubtedRight = doubted.filter(
      (x) => !gold.get(rows[x.row].text)!.some((g) => spanKey(g) === spanKey(x.span)),
    );
    const missed = issues.filter((x) => x.kind === 'missed');
    const missedRight = missed.filter((x) => gold.get(rows[x.row].text)!.some((g) => spanKey(g) === spanKey(x.span)));
    const chance = corrupted / teacherSpans;
    const precision = doubtedRight.length / doubted.length;
    console.log(
      `teacher spans ${teacherSpans}, corrupted ${corrupted} (chance ${chance.toFixed(3)}); doubted ${doubted.length}, right ${doubtedRight.length} (precision ${precision.toFixed(3)}, recall ${(doubtedRight.length / corrupted).toFixed(3)}); missed flagged ${missed.length}, right ${missedRight.length}`,
    );
    expect(corrupted).toBeGreaterThan(20);
    expect(doubted.length).toBeGreaterThan(10);
    expect(precision).toBeGreaterThan(Math.max(0.5, 3 * chance));
    expect(doubtedRight.length / corrupted).toBeGreaterThan(0.3);
    expect(missed.length).toBeGreaterThan(3);
    expect(missedRight.length / missed.length).toBeGreaterThan(0.5);
    // Only checked rows are accused.
    expect(issues.every((x) => checked.includes(x.row))).toBe(true);
  });
});

describe('what an out-of-fold prediction accuses', () => {
  const text = 'Ada met Bob in Paris';
  const span = (start: number, end: number, type: string) => ({ start, end, type, text: text.slice(start, end) });
  const prediction = (confidence: number, spans: (ReturnType<typeof span> & { confidence: number })[]) => ({
    confidence,
    spans,
    tokens: [],
  });

  const T = { doubt: 0.5, missed: 0.8 };

  it('a teacher span is doubted only when the student is sure of a different span over it', () => {
    const given = [span(0, 3, 'person'), span(8, 11, 'person')];
    // The student predicts nothing over Bob, however sure of its tagging: silence is no accusation
    // (a weak student is confidently silent about entities it never saw).
    expect(rowIssues(0, given, prediction(0.99, [{ ...span(0, 3, 'person'), confidence: 0.9 }]), T)).toEqual([]);
    // A city over the same characters at 0.62 excludes Bob/person (overlapping spans cannot both hold).
    const other = prediction(0.3, [
      { ...span(0, 3, 'person'), confidence: 0.9 },
      { ...span(8, 11, 'city'), confidence: 0.62 },
    ]);
    expect(rowIssues(0, given, other, T)).toEqual([
      { row: 0, kind: 'doubted', span: span(8, 11, 'person'), confidence: 0.62 },
    ]);
    // Other boundaries count as a different span; under the threshold they accuse nothing.
    const wider = (c: number) => prediction(0.3, [{ ...span(0, 7, 'person'), confidence: c }]);
    expect(rowIssues(0, [span(0, 3, 'person')], wider(0.7), T).map((x) => x.kind)).toEqual(['doubted']);
    expect(rowIssues(0, [span(0, 3, 'person')], wider(0.4), T)).toEqual([]);
  });

  it('a predicted span the teacher missed is flagged when confident and clear of the teacher spans', () => {
    const given = [span(0, 3, 'person')];
    const p = prediction(0.2, [
      { ...span(0, 3, 'person'), confidence: 0.95 },
      { ...span(15, 20, 'city'), confidence: 0.9 },
      { ...span(8, 11, 'person'), confidence: 0.6 },
    ]);
    expect(rowIssues(3, given, p, T)).toEqual([
      { row: 3, kind: 'missed', span: span(15, 20, 'city'), confidence: 0.9 },
    ]);
  });
});
