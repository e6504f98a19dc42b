import type { RejectedRow } from '../data/example.js';
import { TeacherUnusableError } from '../errors.js';
import type { Teacher } from '../teacher/types.js';

/**
 * The rule (docs/reliability.md, "A teacher whose answers are unusable stops the run"): once the
 * teacher has given at least MIN_ANSWERS answers, if more than MAX_REJECTED_SHARE of the last
 * WINDOW answers were rejected, the run stops. A teacher that mostly answers in a way that cannot
 * be used would otherwise spend the whole budget and "complete" with a student trained on little.
 * A few rejections among good answers never come near it.
 */
export const REJECTION_RULE = { minAnswers: 50, window: 100, maxRejectedShare: 0.5 } as const;

/** Answers of one acquisition (a validation split, one arm's share of a round), as they came back. */
export interface AnswerBatch {
  /** Teacher answers paid for. */
  answers: number;
  /** Rows they brought. */
  rows: number;
  rejected: readonly RejectedRow[];
}

interface ReasonCount {
  reason: string;
  count: number;
  /** The first raw answer given for it. */
  raw: string;
}

/** Reasons that are no fault of the answer asked for: the model wrote more examples than asked. */
const SURPLUS = /^more than the \d+ examples asked for$/;

/** Watches the teacher's answers across the run and throws TeacherUnusableError when the rule trips. */
export class RejectionWatch {
  /** Last `window` answers, true for rejected. */
  private readonly recent: boolean[] = [];
  private answers = 0;
  private rejected = 0;
  private readonly reasons = new Map<string, ReasonCount>();

  constructor(
    private readonly teacher: Pick<Teacher, 'id' | 'rejectionHint'>,
    private readonly rule: { minAnswers: number; window: number; maxRejectedShare: number } = REJECTION_RULE,
  ) {}

  /** Records a batch; throws when the teacher's recent answers are mostly unusable. */
  record(batch: AnswerBatch): void {
    const faults = batch.rejected.filter((r) => !SURPLUS.test(r.reason));
    // An answer is unusable when it brought no row; a generation request that failed as a whole
    // leaves one rejection for all the examples it was to write.
    const unusable =
      faults.length === 0 ? 0 : Math.min(batch.answers, Math.max(faults.length, batch.answers - batch.rows));
    for (const r of faults) this.countReason(r);
    this.push(batch.answers, unusable);
    this.check();
  }

  /** Spreads a batch's rejections evenly over its answers, so a window cut through it takes its share. */
  private push(answers: number, unusable: number): void {
    for (let i = 0; i < answers; i++) {
      this.recent.push(Math.floor(((i + 1) * unusable) / answers) > Math.floor((i * unusable) / answers));
      if (this.recent.length > this.rule.window) this.recent.shift();
    }
    this.answers += answers;
    this.rejected += unusable;
  }

  private countReason(r: RejectedRow): void {
    // Numbers differ from row to row ("no answer for text 3"); the reason is the same.
    const key = r.reason.replace(/\d+/g, 'N');
    const seen = this.reasons.get(key);
    if (seen) seen.count++;
    else this.reasons.set(key, { reason: r.reason, count: 1, raw: r.raw });
  }

  /**
   * Called where the run is about to fail for want of rows (no validation rows, a single label
   * after round 0): when most of the teacher's answers so far were rejected, that is the cause,
   * whatever the count, and the error says so instead of blaming the budget.
   */
  blameTeacher(): void {
    if (this.answers === 0 || this.rejected <= this.rule.maxRejectedShare * this.answers) return;
    const rejected = this.recent.filter(Boolean).length;
    throw new TeacherUnusableError(
      this.message(rejected),
      { rejected, window: this.recent.length },
      { hint: this.hint() },
    );
  }

  private check(): void {
    if (this.answers < this.rule.minAnswers) return;
    const rejected = this.recent.filter(Boolean).length;
    if (rejected <= this.rule.maxRejectedShare * this.recent.length) return;
    throw new TeacherUnusableError(
      this.message(rejected),
      { rejected, window: this.recent.length },
      { hint: this.hint() },
    );
  }

  private message(rejected: number): string {
    const top = [...this.reasons.values()].sort((a, b) => b.count - a.count).slice(0, 2);
    const reasons = top.map((r) => `"${r.reason}" (${r.count}×), for example: ${shorten(r.raw)}`).join('; ');
    return (
      `the teacher's answers are unusable: ${rejected} of its last ${this.recent.length} answers were rejected ` +
      `(${this.rejected} of ${this.answers} in this run), so the run stopped rather than spend the budget on them. ` +
      `Most common reasons: ${reasons}`
    );
  }

  private hint(): string {
    return (
      this.teacher.rejectionHint ??
      `check that the teacher (${this.teacher.id}) answers in the format asked for; every rejection is in the run directory's events.jsonl (teacher-rejected)`
    );
  }
}

function shorten(raw: string, max = 160): string {
  const flat = raw.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
