import type { RoundRecord } from '../loop/types.js';
import type { DistillSummary, TrainingDataStats } from '../run/types.js';
import type { EvalMetrics } from '../core/types.js';
import type { LedgerTotals } from '../store/types.js';
import type { ReportData, WrongExample } from './types.js';

/** Realistic report inputs for tests and for eyeballing the rendered page. Not used by the library. */

export const LABELS5 = ['billing', 'bug_report', 'feature_request', 'account_access', 'other'];

const CONFUSION5 = [
  [46, 1, 0, 2, 1],
  [2, 35, 6, 1, 2],
  [0, 7, 30, 0, 3],
  [3, 1, 0, 38, 2],
  [2, 3, 4, 1, 10],
];

/** Per-label precision/recall/F1 from a confusion matrix, as the metrics module would report them. */
export function metricsFrom(labels: string[], confusion: number[][]): EvalMetrics {
  const k = labels.length;
  const n = confusion.flat().reduce((a, b) => a + b, 0);
  let correct = 0;
  const perLabel = labels.map((label, i) => {
    const tp = confusion[i][i];
    correct += tp;
    const support = confusion[i].reduce((a, b) => a + b, 0);
    let predicted = 0;
    for (let g = 0; g < k; g++) predicted += confusion[g][i];
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  const macroF1 = perLabel.reduce((a, p) => a + p.f1, 0) / k;
  return { n, accuracy: correct / n, macroF1, perLabel, confusion, labels };
}

type DataRecords = Pick<RoundRecord, 'arms' | 'filters' | 'skills' | 'labelNoise'>;

const DEDUP_REASON =
  'near-duplicate (similarity 0.94) of a training row: "I was charged twice for my order, please help"';
const LEAK_REASON = 'near-duplicate (similarity 0.86) of an evaluation text: "How do I reset my password?"';
const VERIFY_REASON = 'teacher verification says bug_report';

/** Three rounds of the data records, consistent with the rounds' `added` counts and answers. */
export const DATA_RECORDS: DataRecords[] = [
  {
    arms: { pool: { answers: 200, rows: 200 }, 'weak-label': { answers: 10, rows: 10 } },
    filters: {
      dedup: { removed: 2, relabeled: 0, answers: 0, examples: [DEDUP_REASON, DEDUP_REASON] },
      leakage: { removed: 1, relabeled: 0, answers: 0, examples: [LEAK_REASON] },
    },
    skills: [
      { attribute: 'cluster', value: 'other#1', label: 'other', errorRate: 0.64, support: 11 },
      { attribute: 'cluster', value: 'feature_request#0', label: 'feature_request', errorRate: 0.5, support: 14 },
      { attribute: 'cluster', value: 'bug_report#2', label: 'bug_report', errorRate: 0.4, support: 10 },
      { attribute: 'cluster', value: 'billing#1', label: 'billing', errorRate: 0.25, support: 12 },
    ],
    labelNoise: { flagged: 6, relabeled: 2, answers: 6 },
  },
  {
    arms: {
      pool: { answers: 120, rows: 120, gain: 0.031 },
      'weak-label': { answers: 40, rows: 38, gain: 0.012 },
      'hard-negative': { answers: 40, rows: 40, gain: -0.004 },
    },
    filters: {
      dedup: { removed: 1, relabeled: 0, answers: 0, examples: [DEDUP_REASON] },
      leakage: { removed: 0, relabeled: 0, answers: 0, examples: [] },
      verify: {
        removed: 3,
        relabeled: 2,
        answers: 80,
        examples: [
          VERIFY_REASON,
          'teacher verification says feature_request',
          'teacher verification gave no usable answer: label not in the set',
        ],
      },
    },
    skills: [
      { attribute: 'cluster', value: 'other#1', label: 'other', errorRate: 0.55, support: 11 },
      { attribute: 'cluster', value: 'feature_request#0', label: 'feature_request', errorRate: 0.43, support: 14 },
      { attribute: 'cluster', value: 'account_access#3', label: 'account_access', errorRate: 0.33, support: 9 },
      { attribute: 'cluster', value: 'bug_report#2', label: 'bug_report', errorRate: 0.3, support: 10 },
      { attribute: 'cluster', value: 'billing#1', label: 'billing', errorRate: 0.17, support: 12 },
    ],
    labelNoise: { flagged: 4, relabeled: 1, answers: 4 },
  },
  {
    arms: {
      pool: { answers: 120, rows: 120, gain: 0.018 },
      'weak-label': { answers: 30, rows: 28, gain: 0.006 },
      'hard-negative': { answers: 20, rows: 20, gain: 0.002 },
      attribute: { answers: 40, rows: 40, gain: 0.009 },
    },
    filters: {
      dedup: { removed: 4, relabeled: 0, answers: 0, examples: [DEDUP_REASON] },
      leakage: { removed: 2, relabeled: 0, answers: 0, examples: [LEAK_REASON, LEAK_REASON] },
      verify: { removed: 2, relabeled: 1, answers: 88, examples: [VERIFY_REASON] },
    },
    skills: [
      { attribute: 'cluster', value: 'other#1', label: 'other', errorRate: 0.45, support: 11 },
      { attribute: 'tone', value: 'sarcastic & terse', errorRate: 0.4, support: 15 },
      { attribute: 'cluster', value: 'feature_request#0', label: 'feature_request', errorRate: 0.36, support: 14 },
      { attribute: 'cluster', value: 'bug_report#2', label: 'bug_report', errorRate: 0.2, support: 10 },
      { attribute: 'cluster', value: 'account_access#3', label: 'account_access', errorRate: 0.11, support: 9 },
      { attribute: 'cluster', value: 'billing#1', label: 'billing', errorRate: 0.08, support: 12 },
    ],
    labelNoise: { flagged: 3, relabeled: 0, answers: 3 },
  },
];

/** Diversity of the fixture's 619 training rows (6 seed, 438 pool, 175 generated). */
export function fixtureDataStats(): TrainingDataStats {
  return {
    rows: 619,
    distinct1: 0.171,
    distinct2: 0.552,
    nearDupRate: 6 / 619,
    labelEntropy: 0.9784,
    nearDupThreshold: 0.9,
    labels: [
      { label: 'billing', rows: 160 },
      { label: 'bug_report', rows: 142 },
      { label: 'account_access', rows: 131 },
      { label: 'feature_request', rows: 118 },
      { label: 'other', rows: 68 },
    ],
    attributes: [
      {
        name: 'confusedWith',
        rows: 60,
        distinct: 3,
        bySource: { generated: 60 },
        values: [
          { value: 'bug_report', rows: 34 },
          { value: 'feature_request', rows: 18 },
          { value: 'billing', rows: 8 },
        ],
      },
      {
        name: 'tone',
        rows: 40,
        distinct: 11,
        bySource: { generated: 40 },
        values: [
          { value: 'angry', rows: 9 },
          { value: 'polite', rows: 8 },
          { value: 'sarcastic & terse', rows: 6 },
          { value: 'confused', rows: 5 },
          { value: 'formal', rows: 3 },
          { value: 'rambling', rows: 2 },
          { value: 'curt', rows: 2 },
          { value: 'pleading', rows: 2 },
          { value: 'cheerful', rows: 1 },
          { value: 'worried', rows: 1 },
        ],
      },
    ],
    bySource: {
      generated: { rows: 175, distinct1: 0.288, distinct2: 0.702, nearDupRate: 4 / 175, labelEntropy: 0.91 },
      pool: { rows: 438, distinct1: 0.214, distinct2: 0.611, nearDupRate: 2 / 438, labelEntropy: 0.96 },
      seed: { rows: 6, distinct1: 0.82, distinct2: 0.97, nearDupRate: 0, labelEntropy: 0.77 },
    },
  };
}

function round(
  i: number,
  answers: number,
  dollars: number,
  acc: number,
  f1: number,
  added: RoundRecord['added'],
  trainSize: number,
): RoundRecord {
  return {
    round: i,
    trainSize,
    answers,
    dollars,
    added,
    validation: { n: 200, accuracy: acc, macroF1: f1 },
    weakest: [
      { label: 'other', f1: 0.42 + i * 0.05 },
      { label: 'feature_request', f1: 0.66 + i * 0.03 },
      { label: 'bug_report', f1: 0.71 },
    ],
    confusedPairs: [
      { gold: 'feature_request', predicted: 'bug_report', count: 9 - i },
      { gold: 'bug_report', predicted: 'feature_request', count: 7 - i },
    ],
    ...DATA_RECORDS[i],
    trainMs: 840 + i * 310,
  };
}

export function fixtureSummary(overrides: Partial<DistillSummary> = {}): DistillSummary {
  const final = metricsFrom(LABELS5, CONFUSION5);
  return {
    runId: 'support-routing-20250101-120000',
    dir: '/tmp/runs/support-routing',
    status: 'complete',
    stopReason: 'plateau',
    task: 'support-routing',
    teacher: {
      id: 'openai:gpt-4o-mini',
      kind: 'llm',
      answers: 620,
      requests: 66,
      cacheHits: 12,
      dollars: 0.0412,
      dollarsUsed: 0.0587,
      inputTokens: 182_400,
      outputTokens: 24_900,
      rejected: 7,
    },
    student: { kind: 'hashed-linear', modelBytes: 412_330, microsPerPrediction: 38.5 },
    final: { ...final, split: 'validation' },
    rounds: [
      round(0, 210, 0.0181, 0.715, 0.652, { pool: 200, generated: 10, seed: 6, rejected: 3 }, 213),
      round(1, 410, 0.0384, 0.78, 0.724, { pool: 120, generated: 78, seed: 0, rejected: 2 }, 411),
      round(2, 620, 0.0587, final.accuracy, final.macroF1, { pool: 120, generated: 88, seed: 0, rejected: 2 }, 619),
    ],
    trainingRows: 619,
    poolExcludedAsLeakage: 3,
    data: fixtureDataStats(),
    ms: 95_400,
    ...overrides,
  };
}

export function fixtureLedger(overrides: Partial<LedgerTotals> = {}): LedgerTotals {
  return {
    answers: 620,
    calls: 66,
    cacheHits: 12,
    httpRequests: 58,
    paidRequests: 54,
    inputTokens: 182_400,
    outputTokens: 24_900,
    dollars: 0.0412,
    dollarsUsed: 0.0587,
    ms: 98_000,
    ...overrides,
  };
}

export function fixtureWrong(count = 12): WrongExample[] {
  const texts = [
    'The export button does nothing when I click it, is that on purpose or a missing feature?',
    'I was charged twice this month and now I cannot log in to see the invoice.',
    'Would be great if the app remembered my filters. Right now it crashes when I set more than three.',
    'hello?',
  ];
  return Array.from({ length: count }, (_, i) => ({
    text: texts[i % texts.length],
    gold: [LABELS5[(i + 2) % 5]],
    predicted: [LABELS5[(i + 1) % 5]],
    confidence: 0.9 - i * 0.03,
  }));
}

export function fixtureReportData(overrides: Partial<ReportData> = {}): ReportData {
  return {
    summary: fixtureSummary(),
    examplesWrong: fixtureWrong(),
    training: {
      bySource: { seed: 6, pool: 438, generated: 175 },
      byRound: [
        { round: 0, seed: 6, pool: 199, generated: 9 },
        { round: 1, seed: 0, pool: 120, generated: 78 },
        { round: 2, seed: 0, pool: 119, generated: 88 },
      ],
    },
    teacherKind: 'llm',
    teacherId: 'openai:gpt-4o-mini',
    ledger: fixtureLedger(),
    studentMicrosPerPrediction: 38.5,
    teacherMsPerAnswer: 212.4,
    checks: { labelNoise: 'relabel', leakageGuard: true, skillProfile: 'steer', bandit: true, closedLoop: true },
    generatedAt: '2025-01-01T12:01:40.000Z',
    ...overrides,
  };
}

/** A 77-label confusion matrix (banking77-sized) with a few strongly confused pairs. */
export function confusion77(): { labels: string[]; confusion: number[][] } {
  const k = 77;
  const labels = Array.from(
    { length: k },
    (_, i) =>
      `intent_${String(i).padStart(2, '0')}_${['card', 'transfer', 'balance', 'pin', 'refund', 'fee', 'atm'][i % 7]}`,
  );
  const confusion = Array.from({ length: k }, (_, g) =>
    Array.from({ length: k }, (_, p) => {
      if (g === p) return 30 + (g % 9);
      if (p === (g * 7 + 3) % k) return 1 + (g % 6);
      if (g % 11 === 0 && p === (g + 1) % k) return 9;
      return 0;
    }),
  );
  return { labels, confusion };
}
