import type { ExtractGenerateRequest, ExtractTeacher } from '../../teacher/extract/types.js';
import { textId } from '../../util/hash.js';
import type { SeenTexts } from './seen-texts.js';
import type { ExtractRow, RejectedAnswer } from './types.js';

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
      const result = await teacher.generate({ ...request, n: want });
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
        const reason = args.leaks?.(ex.text)
          ? 'near-copy of an evaluation text (leakage guard)'
          : seen.repeats(ex.text);
        if (reason) {
          out.rejected.push({ id, text: ex.text, raw: JSON.stringify(ex), reason, round });
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
