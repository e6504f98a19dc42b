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
  const [{ readSpanFile }, { evaluateSpans, attributeValueScores }] = await Promise.all([
    import('../../data/extract/read-span-file.js'),
    import('../../metrics/evaluate-spans.js'),
  ]);
  // Types the model never learned are an error naming the line, not a silent zero-recall row.
  const gold = readSpanFile(goldFile, { allowedTypes: student.types });
  const evaluation = evaluateSpans(student, gold.examples);
  const attributes = gold.attributeRows ? attributeValueScores(gold.attributeRows, evaluation.predictions) : undefined;
  ctx.io.stdout.write(
    flags.json
      ? `${JSON.stringify(spanMetricsJson(evaluation, attributes))}\n`
      : renderSpanMetrics(evaluation, attributes),
  );
  return 0;
}
