import path from 'node:path';
import type { Command } from 'commander';
import { DataFileError } from '../../errors.js';
import { resolveModelFile } from '../model-path.js';
import { metricsJson, renderMetrics } from '../metrics-table.js';
import type { CommandContext } from '../main.js';

export interface EvalFlags {
  json?: boolean;
}

export function registerEval(program: Command, ctx: CommandContext): void {
  program
    .command('eval')
    .description('score a trained student on a gold labeled file')
    .argument('<model>', "a run's model/ directory (or the run directory, or a student.bin file)")
    .argument(
      '<gold>',
      'gold labeled file: JSONL {text, label | labels} or CSV (classification); CoNLL columns, JSONL {text, entities} or {text, attributes} (extraction)',
    )
    .option(
      '--json',
      'print {accuracy, macroF1, microF1?, n, perLabel} (classification) or {precision, recall, f1, perType, partialF1, …} (extraction) as JSON',
    )
    .action(async (model: string, gold: string, flags: EvalFlags) => {
      ctx.setExitCode(await runEval(ctx, model, gold, flags));
    });
}

async function runEval(ctx: CommandContext, model: string, gold: string, flags: EvalFlags): Promise<number> {
  const { io } = ctx;
  const modelFile = resolveModelFile(model, io.cwd);
  const { loadModel } = await import('../../student/load-model.js');
  // The model file's header says which task it does; the gold file must be of the same kind.
  const loaded = loadModel(modelFile);
  const goldFile = path.resolve(io.cwd, gold);
  const { detectLabeledShape } = await import('../../data/extract/detect.js');
  const { SPAN_SHAPES } = await import('../../data/extract/read-spans.js');
  const detected = detectLabeledShape(goldFile);
  if (loaded.task === 'extract') {
    const { runEvalExtract } = await import('./eval-extract.js');
    return runEvalExtract(ctx, loaded.student, goldFile, flags);
  }
  if ((SPAN_SHAPES as readonly string[]).includes(detected.shape))
    throw new DataFileError(goldFile, `this is an extraction file (${detected.reason}) but the model is a classifier`, {
      hint: 'score an extraction model on it, or pass a file of {text, label} rows',
    });
  const [{ readLabeled }, { evaluate }] = await Promise.all([
    import('../../read/read-labeled.js'),
    import('../../metrics/evaluate.js'),
  ]);
  const student = loaded.student;
  // Labels the model never learned are an error naming the line, not a silent zero-recall row.
  const rows = readLabeled(goldFile, {
    allowedLabels: student.labels,
    multiLabel: student.multiLabel,
  }).rows;
  const metrics = evaluate(student, rows);
  io.stdout.write(
    flags.json ? `${JSON.stringify(metricsJson(metrics))}\n` : renderMetrics(metrics, student.multiLabel),
  );
  return 0;
}
