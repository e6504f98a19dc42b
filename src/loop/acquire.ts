import type { Teacher, GenerateRequest } from '../teacher/types.js';
import type { CandidateRow } from '../data/candidate.js';
import type { StrategyOutput } from '../data/strategies/types.js';
import { textId } from '../util/hash.js';
import { mapLimit } from '../util/map-limit.js';

/** Sends pool texts to the teacher; answers become candidate rows, unusable answers rejected rows. */
export async function labelPool(teacher: Teacher, texts: readonly string[], round: number, strategy = 'pool'): Promise<StrategyOutput> {
  const out: StrategyOutput = { rows: [], rejected: [], answers: texts.length };
  if (texts.length === 0) return out;
  const results = await teacher.label(texts.map((text) => ({ id: textId(text), text })));
  results.forEach((r, i) => {
    const text = texts[i];
    if (r.ok) out.rows.push({ text, labels: r.labels, source: 'pool', strategy, confidence: r.confidence });
    else out.rejected.push({ kind: 'label', round, teacher: teacher.id, input: text, raw: r.raw, reason: r.reason });
  });
  return out;
}

/**
 * Asks the teacher to write examples. A dataset teacher's answers depend on what it has already
 * handed out, so its requests run one at a time to stay deterministic; LLM requests run concurrently.
 */
export async function generateFor(
  teacher: Teacher,
  requests: readonly GenerateRequest[],
  round: number,
  options: { concurrency: number; strategy: string },
): Promise<StrategyOutput> {
  const out: StrategyOutput = { rows: [], rejected: [], answers: 0 };
  const concurrency = teacher.kind === 'dataset' ? 1 : options.concurrency;
  const results = await mapLimit(requests, concurrency, (r) => teacher.generate(r));
  results.forEach((res, i) => {
    const req = requests[i];
    const attributes: Record<string, string> = { ...(req.guidance?.attributes ?? {}) };
    if (req.guidance?.confusedWith) attributes.confusedWith = req.guidance.confusedWith;
    out.answers += res.texts.length + res.rejected.length;
    for (const text of res.texts) {
      const row: CandidateRow = { text, labels: [req.label], source: 'generated', strategy: options.strategy };
      if (Object.keys(attributes).length > 0) row.attributes = attributes;
      out.rows.push(row);
    }
    for (const r of res.rejected) out.rejected.push({ kind: 'generate', round, teacher: teacher.id, input: req.label, raw: r.raw, reason: r.reason });
  });
  return out;
}
