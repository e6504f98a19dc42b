import { BudgetExceededError } from '../../errors.js';
import type { CallGate } from '../../teacher/call-gate.js';
import type { ExtractGenerateRequest, ExtractTeacher } from '../../teacher/extract/types.js';
import { textId } from '../../util/hash.js';
import type { SeenTexts } from './seen-texts.js';
import type { ExtractWeaknesses } from './diagnose.js';
import { armRequests, POOL_ARM } from './generate-arms.js';
import type { ExtractArmRound, ExtractRow, RejectedAnswer } from './types.js';

/**
 * Texts per generation request: an LLM writes each with its annotation, and a long list risks the
 * output token limit cutting the answer (it would be charged whole and lost).
 */
export const GENERATE_CHUNK = 10;

export interface GeneratedRows {
  rows: ExtractRow[];
  rejected: RejectedAnswer[];
  /** Answers charged. */
  answers: number;
  /** A budget cap stopped the arm part-way (what it bought before still counts). */
  budgetHit?: boolean;
}

/**
 * One generation arm's round: its requests in turn (the next one when the teacher has no more
 * texts for an aim), `n` answers at most, in chunks. Every generated text then passes the same
 * checks a pool text passed before it was asked: the leakage guard (no near-copy of an evaluation
 * text) and the dedup against everything seen (exact, then near-duplicate); what fails is a
 * rejected answer with its reason, never a silent drop.
 */
export async function generateRows(args: {
  teacher: ExtractTeacher;
  arm: string;
  requests: readonly Omit<ExtractGenerateRequest, 'n'>[];
  n: number;
  round: number;
  seen: SeenTexts;
  /** Whether a text nearly copies an evaluation text (the leakage guard; absent when off). */
  leaks?: (text: string) => boolean;
  /** Answers the budget has left. */
  remaining: () => number;
}): Promise<GeneratedRows> {
  const { teacher, arm, round, seen } = args;
  const out: GeneratedRows = { rows: [], rejected: [], answers: 0 };
  if (!teacher.generate) return out;
  for (const request of args.requests) {
    for (;;) {
      const want = Math.min(args.n - out.answers, GENERATE_CHUNK, args.remaining());
      if (want <= 0) return out;
      let result: Awaited<ReturnType<NonNullable<ExtractTeacher['generate']>>>;
      try {
        result = await teacher.generate({ ...request, n: want });
      } catch (e) {
        if (!(e instanceof BudgetExceededError)) throw e;
        out.budgetHit = true;
        return out;
      }
      out.answers += result.answers;
      for (const r of result.rejected)
        out.rejected.push({ id: textId(r.raw), text: '', raw: r.raw, reason: r.reason, round });
      const guidance = {
        ...(request.type !== undefined ? { type: request.type } : {}),
        ...(request.confusedWith !== undefined ? { confusedWith: request.confusedWith } : {}),
        ...(request.entityFree ? { entityFree: true } : {}),
      };
      for (const ex of result.examples) {
        const id = textId(ex.text);
        const leak = args.leaks?.(ex.text) === true;
        const reason = leak ? 'near-copy of an evaluation text (leakage guard)' : seen.repeats(ex.text);
        if (reason) {
          const filter = leak ? 'leakage' : 'dedup';
          out.rejected.push({ id, text: ex.text, raw: JSON.stringify(ex), reason, round, filter });
          continue;
        }
        seen.add(ex.text);
        out.rows.push({
          id,
          text: ex.text,
          spans: ex.spans,
          ...(ex.tokens ? { tokens: ex.tokens } : {}),
          source: 'generated',
          round,
          rejected: ex.rejected,
          arm,
          guidance,
        });
      }
      // The teacher had fewer texts for this aim than asked: on to the next aim.
      if (result.answers < want) break;
    }
  }
  return out;
}

/**
 * Every generation arm's round, in arm order, each with its share of the split and the requests
 * last round's diagnosis gives it; what each spent and added (and its dollars, with a price).
 */
export async function generateForArms(args: {
  teacher: ExtractTeacher;
  gate: CallGate;
  arms: readonly string[];
  split: Readonly<Record<string, number>>;
  weaknesses: ExtractWeaknesses;
  training: readonly ExtractRow[];
  round: number;
  seen: SeenTexts;
  leaks?: (text: string) => boolean;
}): Promise<GeneratedRows & { arms: Record<string, ExtractArmRound> }> {
  const { gate, split } = args;
  const out: GeneratedRows & { arms: Record<string, ExtractArmRound> } = {
    rows: [],
    rejected: [],
    answers: 0,
    arms: {},
  };
  for (const arm of args.arms) {
    if (arm === POOL_ARM) continue;
    const dollarsBefore = gate.used().dollars;
    const got = out.budgetHit
      ? { rows: [], rejected: [], answers: 0 }
      : await generateRows({
          teacher: args.teacher,
          arm,
          requests: armRequests(arm, args.weaknesses, args.training),
          n: split[arm] ?? 0,
          round: args.round,
          seen: args.seen,
          leaks: args.leaks,
          remaining: () => gate.remainingAnswers(),
        });
    out.rows.push(...got.rows);
    out.rejected.push(...got.rejected);
    out.answers += got.answers;
    if (got.budgetHit) out.budgetHit = true;
    out.arms[arm] = {
      share: split[arm] ?? 0,
      answers: got.answers,
      rows: got.rows.length,
      ...(gate.priced() ? { dollars: gate.used().dollars - dollarsBefore } : {}),
    };
  }
  return out;
}
