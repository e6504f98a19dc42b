import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../store/types.js';
import { teacherMsPerAnswer, trainingBreakdown } from './report-inputs.js';
import { niceDomain, niceTicks } from './charts/ticks.js';
import { escapeHtml, html, raw, truncate } from './escape.js';

function entry(e: Partial<LedgerEntry>): LedgerEntry {
  return {
    runId: 'r',
    teacher: 't',
    kind: 'label',
    key: 'k',
    answers: 10,
    cached: false,
    httpRequests: 1,
    paidRequests: 1,
    inputTokens: 0,
    outputTokens: 0,
    dollars: 0,
    dollarsUsed: 0,
    ms: 1000,
    at: '',
    ...e,
  };
}

describe('report inputs', () => {
  it('counts training rows by source and by round', () => {
    const b = trainingBreakdown([
      { source: 'seed', round: 0 },
      { source: 'pool', round: 0 },
      { source: 'pool', round: 2 },
      { source: 'generated', round: 2 },
      { source: 'pool', round: 1 },
    ]);
    expect(b.bySource).toEqual({ seed: 1, pool: 3, generated: 1 });
    expect(b.byRound).toEqual([
      { round: 0, seed: 1, pool: 1, generated: 0 },
      { round: 1, seed: 0, pool: 1, generated: 0 },
      { round: 2, seed: 0, pool: 1, generated: 1 },
    ]);
  });

  it('measures teacher time over live calls only', () => {
    const entries = [
      entry({ ms: 2000, answers: 10 }),
      entry({ ms: 5, answers: 10, cached: true, httpRequests: 0 }),
      entry({ ms: 1000, answers: 10 }),
    ];
    expect(teacherMsPerAnswer(entries, 'llm')).toBe(150);
    expect(teacherMsPerAnswer([entries[1]], 'llm')).toBeNull();
    expect(teacherMsPerAnswer(entries, 'dataset')).toBeNull();
  });
});

describe('render helpers', () => {
  it('picks nice ticks and domains', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 620, 5)).toEqual([0, 200, 400, 600]);
    expect(niceDomain(0, 620)).toEqual([0, 800]);
    expect(niceDomain(0.65, 0.8)).toEqual([0.65, 0.8]);
    expect(niceDomain(0.652, 0.795)).toEqual([0.65, 0.8]);
    expect(niceTicks(0.1, 0.3, 2)).toEqual([0.1, 0.2, 0.3]);
    expect(niceDomain(5, 5)).toEqual([4.5, 5.5]);
  });

  it('escapes interpolations unless marked raw, and truncates on code points', () => {
    expect(html`<p>${'<b>'}${raw('<i>')}${['&', 1]}${undefined}</p>`.value).toBe('<p>&lt;b&gt;<i>&amp;1</p>');
    expect(escapeHtml('a\u0000b\ud800')).toBe('a\ufffdb\ufffd');
    expect(truncate('😀😀😀😀', 3)).toBe('😀😀…');
  });
});
