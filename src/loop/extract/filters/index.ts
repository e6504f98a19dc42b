import type { Task } from '../../../task/schema.js';
import type { CallGate } from '../../../teacher/call-gate.js';
import type { ExtractTeacher } from '../../../teacher/extract/types.js';
import type { ExtractRow, RejectedAnswer } from '../types.js';
import { spanNoiseRound } from './noise-round.js';
import { replaceKept } from './replace.js';
import { spanSelfConsistency } from './self-consistency.js';
import {
  emptyCounts,
  emptyNoiseCounts,
  type SpanFilterCounts,
  type SpanFilterReport,
  type SpanFilterResult,
  type SpanFilterRound,
} from './types.js';
import { verifySpans } from './verify.js';

export {
  findSpanIssues,
  SPAN_NOISE_DOUBT,
  SPAN_NOISE_FOLDS,
  SPAN_NOISE_MISSED,
  type SpanIssue,
} from './label-noise.js';
export { SPAN_NOISE_MAX_CHECKED, SPAN_NOISE_MIN_ROWS, spanNoiseRound } from './noise-round.js';
export { spanSelfConsistency, type SpanSelfConsistencyOptions } from './self-consistency.js';
export { spanKey, voteSpans, type SpanVote } from './span-vote.js';
export type * from './types.js';
export { verifySpans, type SpanVerifyMode } from './verify.js';

/** Sources whose spans came from an extraction request about a pool text. */
const POOL_SOURCES: ReadonlySet<string> = new Set(['random', 'uncertainty']);

/**
 * The span filters of an extraction run, between the teacher's answers and the training set, with
 * the task's classification options: `data.selfConsistency` / `data.minAgreement` (samples per
 * pool text, spans a majority agrees on), `data.verify` (a second request for generated rows),
 * `data.labelNoise` (out-of-fold span students over the round's new rows; `relabel` re-asks the
 * flagged rows with self-consistency, `review` lists them in review.jsonl). Every extra request
 * goes through the teacher's call gate: cached, on the answer budget, the ledger and the dollars.
 * Build one per run; `admit` is called with each batch of new training rows.
 */
export class SpanFilters {
  readonly report: SpanFilterReport;
  /** What the last `admit` spent on the rows of each arm (the row's `arm`, else its source). */
  private readonly spent = new Map<string, { answers: number; dollars: number }>();

  constructor(
    private readonly task: Task,
    private readonly teacher: ExtractTeacher,
    private readonly gate: CallGate,
  ) {
    const d = task.data;
    this.report = {
      settings: {
        selfConsistency: d.selfConsistency,
        minAgreement: d.minAgreement,
        verify: d.verify,
        labelNoise: d.labelNoise,
      },
      totals: { selfConsistency: emptyCounts(), verify: emptyCounts(), labelNoise: emptyNoiseCounts() },
      rounds: [],
      review: [],
    };
  }

  /** Whether any span filter is on (otherwise `admit` returns its rows as they are, for free). */
  get active(): boolean {
    const d = this.task.data;
    return d.selfConsistency > 1 || d.verify !== 'off' || d.labelNoise !== 'off';
  }

  /**
   * Texts a later round asks about for `answers` answers. As in classification (loop/acquire-round.ts),
   * a round's share includes the self-consistency samples: answers / selfConsistency texts, so a round
   * spends about `loop.answersPerRound` answers whatever the setting. Round 0's `initialLabels` texts
   * are asked in full, each sampled on top, as classification's round 0.
   */
  textsFor(answers: number): number {
    return answers <= 0 ? 0 : Math.max(1, Math.floor(answers / this.task.data.selfConsistency));
  }

  /**
   * After `admit`: adds what the filters spent on each arm's rows to that arm's record in `arms` and
   * recounts its rows from `kept`, so the bandit's gain per answer includes the samples and second
   * answers its rows cost. Returns the total charged, for a caller that measured the whole spend on
   * another arm's clock.
   */
  chargeArms(
    arms: Record<string, { answers: number; rows: number; dollars?: number }>,
    kept: readonly ExtractRow[],
  ): { answers: number; dollars: number } {
    const total = { answers: 0, dollars: 0 };
    for (const [name, a] of Object.entries(arms)) {
      const s = this.spent.get(name) ?? { answers: 0, dollars: 0 };
      a.answers += s.answers;
      if (a.dollars !== undefined) a.dollars += s.dollars;
      a.rows = kept.filter((r) => armOf(r) === name).length;
      total.answers += s.answers;
      total.dollars += s.dollars;
    }
    return total;
  }

  /**
   * New rows in, the rows to train on out. Rows dropped whole go to `rejected` with their reason.
   * `training` is the training set before these rows (the label-noise check trains on it).
   */
  async admit(
    rows: readonly ExtractRow[],
    at: { round: number; training: readonly ExtractRow[]; rejected: RejectedAnswer[] },
  ): Promise<ExtractRow[]> {
    this.spent.clear();
    if (!this.active || rows.length === 0) return rows.slice();
    const d = this.task.data;
    const record: SpanFilterRound = { round: at.round };
    const ctx = () => ({ teacher: this.teacher, answers: this.gate.remainingAnswers(), round: at.round });
    let out = rows.slice();

    if (d.selfConsistency > 1) {
      const pool = out.filter((r) => POOL_SOURCES.has(r.source));
      const dollars = this.gate.used().dollars;
      const result = await spanSelfConsistency(pool, ctx(), {
        samples: d.selfConsistency,
        minAgreement: d.minAgreement,
      });
      this.charge(pool.slice(0, result.checked), result.answers, this.gate.used().dollars - dollars);
      out = replaceKept(out, pool, result, at.rejected);
      record.selfConsistency = counts(result);
    }
    if (d.verify !== 'off') {
      // `generated` rows (the generation arms): the writer placed its own spans, nobody checked them.
      const generated = out.filter((r) => (r.source as string) === 'generated');
      const dollars = this.gate.used().dollars;
      const result = await verifySpans(generated, ctx(), d.verify);
      this.charge(generated.slice(0, result.checked), result.answers, this.gate.used().dollars - dollars);
      out = replaceKept(out, generated, result, at.rejected);
      record.verify = counts(result);
    }
    if (d.labelNoise !== 'off') {
      const dollars = this.gate.used().dollars;
      const {
        rows: checked,
        counts: noise,
        reasked,
      } = await spanNoiseRound(out, {
        task: this.task,
        teacher: this.teacher,
        answers: this.gate.remainingAnswers(),
        round: at.round,
        training: at.training,
        rejected: at.rejected,
        review: this.report.review,
      });
      this.charge(reasked, noise.answers, this.gate.used().dollars - dollars);
      out = checked;
      record.labelNoise = noise;
    }
    this.report.rounds.push(record);
    add(this.report.totals.selfConsistency, record.selfConsistency);
    add(this.report.totals.verify, record.verify);
    add(this.report.totals.labelNoise, record.labelNoise);
    return out;
  }

  /** Spreads what a step spent evenly over the rows it checked (each cost the same samples). */
  private charge(rows: readonly ExtractRow[], answers: number, dollars: number): void {
    if (rows.length === 0 || answers === 0) return;
    for (const r of rows) {
      const key = armOf(r);
      const s = this.spent.get(key) ?? { answers: 0, dollars: 0 };
      s.answers += answers / rows.length;
      s.dollars += dollars / rows.length;
      this.spent.set(key, s);
    }
  }
}

/** The bandit arm that bought a row (set by the loop's generation arms), else its source. */
function armOf(r: ExtractRow): string {
  return (r as { arm?: string }).arm ?? r.source;
}

function counts(r: SpanFilterResult): SpanFilterCounts {
  return {
    checked: r.checked,
    unchecked: r.unchecked,
    spansDropped: r.spansDropped,
    rowsRejected: r.removed.length,
    answers: r.answers,
  };
}

function add<T extends object>(total: T, part: T | undefined): void {
  if (!part) return;
  const t = total as Record<string, number>;
  for (const [k, v] of Object.entries(part)) t[k] += v as number;
}
