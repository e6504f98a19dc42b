import { describe, expect, it } from 'vitest';
import { applyRelabels, dropIssues, repairPlan, REVIEW_FILE, type LabelIssue } from './index.js';

const rows = [
  { text: 'refund please', labels: ['billing'], source: 'pool' },
  { text: 'parcel late', labels: ['billing'], source: 'pool' },
  { text: 'app crashes', labels: ['account'], source: 'generated' },
];
const issues: LabelIssue[] = [
  { index: 1, text: 'parcel late', given: ['billing'], suggested: ['shipping'], selfConfidence: 0.051234 },
  { index: 2, text: 'app crashes', given: ['account'], suggested: ['bug'], selfConfidence: 0.2 },
];

describe('repair plans', () => {
  it('review: lines for review.jsonl, nothing changed', () => {
    const plan = repairPlan(issues, 'review');
    expect(plan).toEqual({
      mode: 'review',
      file: REVIEW_FILE,
      lines: [
        { text: 'parcel late', given: ['billing'], suggested: ['shipping'], selfConfidence: 0.0512 },
        { text: 'app crashes', given: ['account'], suggested: ['bug'], selfConfidence: 0.2 },
      ],
    });
  });

  it("relabel: the teacher's second answers replace the labels; a failed or agreeing answer changes nothing", () => {
    const plan = repairPlan(issues, 'relabel');
    if (plan.mode !== 'relabel') throw new Error('expected a relabel plan');
    expect(plan.ask.map((a) => a.text)).toEqual(['parcel late', 'app crashes']);
    const fixed = applyRelabels(rows, plan.ask, [['shipping'], undefined]);
    expect(fixed.changed).toEqual([1]);
    expect(fixed.rows[1]).toEqual({ text: 'parcel late', labels: ['shipping'], source: 'pool' });
    expect(fixed.rows[2]).toBe(rows[2]);
    expect(rows[1].labels).toEqual(['billing']);
    expect(applyRelabels(rows, plan.ask, [['billing'], ['account']]).changed).toEqual([]);
  });

  it('drop: the rows without the flagged ones', () => {
    expect(dropIssues(rows, issues).map((r) => r.text)).toEqual(['refund please']);
  });
});
