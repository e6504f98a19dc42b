import type { Teacher } from '../teacher/types.js';
import type { StrategyOutput } from '../data/strategies/types.js';
import { textId } from '../util/hash.js';

/** Sends pool texts to the teacher; answers become candidate rows, unusable answers rejected rows. */
export async function labelPool(
  teacher: Teacher,
  texts: readonly string[],
  round: number,
  strategy = 'pool',
): Promise<StrategyOutput> {
  const out: StrategyOutput = { rows: [], rejected: [], answers: texts.length };
  if (texts.length === 0) return out;
  const results = await teacher.label(texts.map((text) => ({ id: textId(text), text })));
  results.forEach((r, i) => {
    const text = texts[i];
    if (r.ok && r.source === 'human')
      out.rows.push({ text, labels: r.labels, source: 'human', strategy, confidence: 1, reviewer: r.reviewer });
    else if (r.ok) out.rows.push({ text, labels: r.labels, source: 'pool', strategy, confidence: r.confidence });
    else out.rejected.push({ kind: 'label', round, teacher: teacher.id, input: text, raw: r.raw, reason: r.reason });
  });
  return out;
}
