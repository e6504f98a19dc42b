import { describe, expect, it } from 'vitest';
import type { ApprenticeEvent } from '../events.js';
import { ProgressRenderer, bar } from './progress.js';

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, out: { isTTY, columns: 200, write: (s: string) => chunks.push(s) } };
}

const round: ApprenticeEvent[] = [
  { type: 'round-start', round: 1, trainSize: 100, answersUsed: 120 },
  { type: 'teacher-call-start', kind: 'label', answers: 20 },
  {
    type: 'teacher-call-end',
    kind: 'label',
    answers: 20,
    cached: true,
    httpRequests: 0,
    inputTokens: 0,
    outputTokens: 0,
    dollars: 0,
    ms: 1,
  },
  { type: 'train-start', round: 1, rows: 140 },
  { type: 'train-end', round: 1, ms: 30 },
  { type: 'eval-end', round: 1, split: 'validation', accuracy: 0.5, macroF1: 0.4, answers: 140, dollars: 0 },
  { type: 'eval-end', round: 1, split: 'gold', accuracy: 0.81, macroF1: 0.79, answers: 140, dollars: 0 },
  { type: 'round-end', round: 1, improved: true, best: 0.79 },
];

describe('ProgressRenderer', () => {
  it('writes one plain line per round when stderr is not a terminal', () => {
    const { chunks, out } = sink(false);
    const p = new ProgressRenderer(out, 300);
    for (const e of round) p.handle(e);
    const text = chunks.join('');
    expect(text).not.toContain('\r');
    expect(text.trim().split('\n')).toHaveLength(1);
    expect(text).toContain('140/300 answers');
    expect(text).toContain('acc 0.810');
    expect(text).toContain('macro-F1 0.790');
    expect(text).toContain('teacher calls 1 (1 cached');
  });

  it('rewrites a single line in place on a terminal', () => {
    const { chunks, out } = sink(true);
    let t = 0;
    const p = new ProgressRenderer(out, 300, () => (t += 1000));
    for (const e of round) p.handle(e);
    p.finish();
    const text = chunks.join('');
    expect(text).toContain('\r\x1b[2K');
    expect(text.split('\n')).toHaveLength(2);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('draws a bounded bar', () => {
    expect(bar(0.5, 10)).toBe('[#####-----]');
    expect(bar(2, 4)).toBe('[####]');
    expect(bar(Number.NaN, 4)).toBe('[----]');
  });
});
