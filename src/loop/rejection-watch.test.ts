import { describe, expect, it } from 'vitest';
import type { RejectedRow } from '../data/example.js';
import { TeacherUnusableError } from '../errors.js';
import { REJECTION_RULE, RejectionWatch } from './rejection-watch.js';

const llm = { id: 'openai-compatible:fake', rejectionHint: 'try a smaller teacher.batchSize' };
const rejection = (reason: string, raw = '{"items":[]}', kind: RejectedRow['kind'] = 'label'): RejectedRow => ({
  kind,
  round: 0,
  teacher: llm.id,
  input: 'a text',
  raw,
  reason,
});
/** A labeling batch of `answers` answers, `bad` of them rejected for `reason`. */
const batch = (answers: number, bad: number, reason = 'no answer for text 2') => ({
  answers,
  rows: answers - bad,
  rejected: Array.from({ length: bad }, (_, i) => rejection(reason.replace('2', String(i + 2)))),
});
const caught = (f: () => void) => {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
};

describe('RejectionWatch', () => {
  it('lets a few rejections among good answers pass, however long the run', () => {
    const watch = new RejectionWatch(llm);
    for (let i = 0; i < 100; i++) watch.record(batch(10, 2));
  });

  it(`waits for ${REJECTION_RULE.minAnswers} answers, then stops when most of the last ${REJECTION_RULE.window} were rejected`, () => {
    const watch = new RejectionWatch(llm);
    watch.record(batch(40, 40));
    const error = caught(() => watch.record(batch(10, 10, 'text 1 was answered 10 times')));
    expect(error).toBeInstanceOf(TeacherUnusableError);
    expect(error).toMatchObject({ code: 'teacher-unusable', rejected: 50, window: 50 });
    expect((error as Error).message).toBe(
      "the teacher's answers are unusable: 50 of its last 50 answers were rejected (50 of 50 in this run), so the run stopped rather than spend the budget on them. " +
        'Most common reasons: "no answer for text 2" (40×), for example: {"items":[]}; "text 1 was answered 10 times" (10×), for example: {"items":[]}',
    );
    // The teacher says what to try; a teacher that does not gets a general hint.
    expect((error as TeacherUnusableError).hint).toBe('try a smaller teacher.batchSize');
    const plain = new RejectionWatch({ id: 'some:teacher' });
    plain.record(batch(40, 40));
    const general = caught(() => plain.record(batch(10, 10)));
    expect((general as TeacherUnusableError).hint).toMatch(/answers in the format asked for/);
  });

  it('judges the last answers only: a teacher that went bad is stopped, one that recovered is not', () => {
    const recovered = new RejectionWatch(llm);
    recovered.record(batch(40, 30));
    recovered.record(batch(200, 0));
    const wentBad = new RejectionWatch(llm);
    wentBad.record(batch(300, 0));
    expect(caught(() => wentBad.record(batch(60, 60)))).toMatchObject({ rejected: 60, window: 100 });
  });

  it('counts a generation request that failed as a whole as all the examples it was to write, and extra examples not at all', () => {
    const watch = new RejectionWatch(llm);
    const surplus = rejection('more than the 4 examples asked for', 'one more', 'generate');
    for (let i = 0; i < 5; i++) watch.record({ answers: 4, rows: 4, rejected: [surplus, surplus] });
    const whole = rejection('the answer had no "examples" array', '{"result":1}', 'generate');
    watch.record({ answers: 4, rows: 0, rejected: [whole] });
    expect(caught(() => watch.record({ answers: 36, rows: 0, rejected: [whole] }))).toMatchObject({
      rejected: 40,
      window: 60,
    });
  });

  it('blames the teacher when the run is short of rows and most answers so far were rejected, even below the minimum', () => {
    const watch = new RejectionWatch(llm);
    watch.record(batch(10, 6));
    expect(caught(() => watch.blameTeacher())).toBeInstanceOf(TeacherUnusableError);
    const fine = new RejectionWatch(llm);
    fine.record(batch(10, 5));
    fine.blameTeacher();
  });
});
