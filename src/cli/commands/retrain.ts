import path from 'node:path';
import type { Command } from 'commander';
import type { CommandContext } from '../main.js';
import { displayPath } from '../display-path.js';

interface RetrainFlags {
  out?: string;
  corrections?: string | false;
  json?: boolean;
}

export function registerRetrain(program: Command, ctx: CommandContext): void {
  program
    .command('retrain')
    .description("train a new student from a run's rows with reviewers' corrections applied (no teacher asked)")
    .argument('<run>', 'a complete run directory')
    .option('--out <dir>', 'run directory to write (default: a new run beside <run>)')
    .option(
      '--corrections <file>',
      "reviewers' corrections (default: <runs>/.studio/corrections.sqlite beside <run>, as `apprentice studio` writes it)",
    )
    .option('--no-corrections', 'retrain on the rows as they are')
    .option('--json', 'print the new run summary as one JSON object (summary.retrain has the scores before and after)')
    .action(async (run: string, flags: RetrainFlags) => {
      ctx.setExitCode(await runRetrain(ctx, run, flags));
    });
}

async function runRetrain(ctx: CommandContext, run: string, flags: RetrainFlags): Promise<number> {
  const { io } = ctx;
  const { retrain } = await import('../../run/retrain.js');
  const { isExtractSummary } = await import('../../run/task-kinds.js');
  const fromCwd = (p: string) => path.resolve(io.cwd, p);
  const { dir, summary } = retrain(fromCwd(run), {
    outDir: flags.out === undefined ? undefined : fromCwd(flags.out),
    corrections: typeof flags.corrections === 'string' ? fromCwd(flags.corrections) : flags.corrections,
  });
  if (flags.json) {
    io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return 0;
  }
  const pct = (x: number | undefined) => (x === undefined ? '–' : `${(100 * x).toFixed(1)}%`);
  const lines = isExtractSummary(summary)
    ? (() => {
        const r = summary.retrain!;
        return [
          `retrained ${r.of} → ${displayPath(io.cwd, dir)}`,
          `texts: ${summary.trainingRows} (${r.human} with reviewers' spans, ${r.unusable} left out as rejected); no teacher asked`,
          `gold (n = ${r.after.n}): span precision ${pct(r.before?.precision)} → ${pct(r.after.precision)}, recall ${pct(r.before?.recall)} → ${pct(r.after.recall)}, F1 ${pct(r.before?.f1)} → ${pct(r.after.f1)}`,
        ];
      })()
    : (() => {
        const r = summary.retrain!;
        return [
          `retrained ${r.of} → ${displayPath(io.cwd, dir)}`,
          `rows: ${summary.trainingRows} (${r.human} labeled by reviewers, ${r.unusable} left out as unusable); no teacher asked`,
          `gold (n = ${r.after.n}): accuracy ${pct(r.before?.accuracy)} → ${pct(r.after.accuracy)}, macro-F1 ${pct(r.before?.macroF1)} → ${pct(r.after.macroF1)}`,
        ];
      })();
  io.stdout.write(`${[...lines, ''].join('\n')}`);
  return 0;
}
