import type { SpanStudent } from '../../student/sequence/types.js';
import type { CommandContext } from '../main.js';
import { renderSpanMetrics, spanMetricsJson } from '../span-metrics-table.js';
import type { EvalFlags } from './eval.js';

/** `apprentice eval` for an extraction model: entity-level exact and partial scores on a gold span file. */
export async function runEvalExtract(
  ctx: CommandContext,
  student: SpanStudent,
  goldFile: string,
  flags: EvalFlags,
): Promise<number> {
  const [{ readSpanFile }, { evaluateSpans }, { goldAttributeScores }] = await Promise.all([
    import('../../data/extract/read-spans.js'),
    import('../../metrics/evaluate-spans.js'),
    import('../attribute-gold.js'),
  ]);
  // Types the model never learned are an error naming the line, not a silent zero-recall row
  // (attribute files: attributes the model does not know are left out, as the reader does).
  const gold = readSpanFile(goldFile, { allowedTypes: student.types });
  const evaluation = evaluateSpans(student, gold.examples);
  const attributes = goldAttributeScores(gold.shape, goldFile, student.types, evaluation.predictions);
  ctx.io.stdout.write(
    flags.json
      ? `${JSON.stringify(spanMetricsJson(evaluation, attributes))}\n`
      : renderSpanMetrics(evaluation, attributes),
  );
  return 0;
}
