import path from 'node:path';
import type { Command } from 'commander';
import { resolveModelFile } from '../model-path.js';
import { metricsJson, renderMetrics } from '../metrics-table.js';
import type { CommandContext } from '../main.js';

interface EvalFlags {
  json?: boolean;
}

export function registerEval(program: Command, ctx: CommandContext): void {
  program
    .command('eval')
    .description('score a trained student on a gold labeled file')
    .argument('<model>', "a run's model/ directory (or the run directory, or a student.bin file)")
    .argument('<gold>', 'gold labeled file: JSONL {text, label | labels} or CSV with text,label columns')
    .option('--json', 'print {accuracy, macroF1, microF1?, n, perLabel} as JSON')
    .action(async (model: string, gold: string, flags: EvalFlags) => {
      ctx.setExitCode(await runEval(ctx, model, gold, flags));
    });
}

async function runEval(ctx: CommandContext, model: string, gold: string, flags: EvalFlags): Promise<number> {
  const { io } = ctx;
  const modelFile = resolveModelFile(model, io.cwd);
  const [{ readLabeled }, { loadStudent }, { evaluate }] = await Promise.all([
    import('../../read/read-labeled.js'),
    import('../../student/registry.js'),
    import('../../metrics/evaluate.js'),
  ]);
  const student = loadStudent(modelFile);
  // Labels the model never learned are an error naming the line, not a silent zero-recall row.
  const rows = readLabeled(path.resolve(io.cwd, gold), {
    allowedLabels: student.labels,
    multiLabel: student.multiLabel,
  }).rows;
  const metrics = evaluate(student, rows);
  io.stdout.write(
    flags.json ? `${JSON.stringify(metricsJson(metrics))}\n` : renderMetrics(metrics, student.multiLabel),
  );
  return 0;
}
