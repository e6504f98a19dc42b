import path from 'node:path';
import type { Command } from 'commander';
import { Emitter } from '../../events.js';
import { newRunId } from '../../run/run-id.js';
import { ExitCode } from '../exit-codes.js';
import { positiveInt, integer } from '../parse.js';
import { ProgressRenderer } from '../progress.js';
import { renderDistillSummary } from '../summary.js';
import { renderExtractSummary } from '../extract-summary.js';
import { withInterrupt } from '../interrupt.js';
import { planLine } from '../plan-table.js';
import { confirmCost } from '../confirm-cost.js';
import type { CommandContext } from '../main.js';
import type { TaskOverrides } from '../../task/load.js';

/** The task overrides, plus what only the command itself uses. */
interface DistillFlags extends TaskOverrides {
  out?: string;
  cache?: string;
  json?: boolean;
  quiet?: boolean;
  overwrite?: boolean;
  yes?: boolean;
  /** A corrections file, false for --no-corrections, undefined for the studio's default. */
  corrections?: string | false;
}

export function registerDistill(program: Command, ctx: CommandContext): void {
  program
    .command('distill')
    .description('run the closed loop: ask the teacher, train the student, find its weaknesses, repeat')
    .argument('<task>', 'task file (YAML or JSON)')
    .option('--budget-answers <n>', 'cap on teacher answers (overrides budget.answers)', positiveInt)
    .option('--eval <gold.jsonl>', 'gold labeled file to evaluate on (overrides eval)')
    .option('--pool <file>', 'unlabeled inputs: JSONL, CSV or one text per line (overrides pool)')
    .option('--teacher <provider:model>', 'teacher model, e.g. openai:gpt-4o-mini (overrides teacher.model)')
    .option('--base-url <url>', 'base URL of an OpenAI-compatible server (overrides teacher.baseUrl)')
    .option('--seed <n>', 'random seed (overrides seed)', integer)
    .option(
      '--batch',
      "send the teacher's requests through the provider's batch API (half price, slower; teacher.mode: batch)",
    )
    .option('--out <dir>', 'run directory to write (default: runs/<task>-<timestamp>)')
    .option('--cache <path>', 'teacher cache and ledger file', '.apprentice/cache.sqlite')
    .option('--overwrite', 'replace a finished run already in the --out directory')
    .option('--json', 'print the run summary as one JSON object on stdout, nothing else')
    .option('--quiet', 'no progress on stderr')
    .option('--yes', 'start even when the planned cost is above budget.confirmAbove')
    .option(
      '--corrections <file>',
      "reviewers' corrections to train on instead of the teacher's labels (default: <runs>/.studio/corrections.sqlite beside the run directory, as `apprentice studio` writes it)",
    )
    .option('--no-corrections', "ignore reviewers' corrections: every row is the teacher's")
    .action(async (taskFile: string, flags: DistillFlags) => {
      ctx.setExitCode(await runDistill(ctx, taskFile, flags));
    });
}

async function runDistill(ctx: CommandContext, taskFile: string, flags: DistillFlags): Promise<number> {
  const { io } = ctx;
  // Loaded here, not at the top: `--help`, flag errors and task-file errors should not pay for
  // loading the whole pipeline.
  const { loadTask, applyOverrides } = await import('../../task/load.js');
  const fromCwd = (p: string | undefined) => (p === undefined ? undefined : path.resolve(io.cwd, p));
  const task = applyOverrides(
    loadTask(fromCwd(taskFile)!),
    {
      budgetAnswers: flags.budgetAnswers,
      eval: flags.eval,
      pool: flags.pool,
      teacher: flags.teacher,
      baseUrl: flags.baseUrl,
      seed: flags.seed,
      batch: flags.batch,
    },
    { cwd: io.cwd },
  );
  const { distillTask, isExtractSummary, taskKindRunner } = await import('../../run/task-kinds.js');
  const { killedRunDir } = await import('../../run/resume.js');
  const runsRoot = path.resolve(io.cwd, 'runs');
  const resumed = flags.out === undefined ? killedRunDir(runsRoot, task.name) : undefined;
  const outDir = fromCwd(flags.out) ?? resumed ?? path.resolve(runsRoot, newRunId(task.name));
  if (resumed && !flags.quiet)
    io.stderr.write(`resuming the run killed in ${resumed} (paid answers come from the cache)\n`);

  // Each task kind plans its own cost.
  // The pool is indexed once: the run takes over the index the plan was made from.
  const runner = taskKindRunner(task);
  const prepared = runner.prepare ? await runner.prepare(task) : undefined;
  const plan = prepared?.plan ?? (await runner.plan?.(task));
  if (plan && !flags.quiet) io.stderr.write(`${planLine(plan)}\n`);
  if (plan && !(await confirmCost(io, plan, task.budget.confirmAbove, flags.yes === true))) {
    prepared?.pool?.close();
    io.stderr.write('not started: nothing was sent to the teacher\n');
    return ExitCode.interrupted;
  }

  const emitter = new Emitter();
  const progress = flags.quiet ? undefined : new ProgressRenderer(io.stderr, task.budget.answers);
  if (progress) emitter.on((e) => progress.handle(e));

  const outcome = await withInterrupt(io, (signal) =>
    distillTask(task, {
      outDir,
      overwrite: flags.overwrite,
      cachePath: fromCwd(flags.cache),
      emitter,
      signal,
      plan,
      pool: prepared?.pool,
      corrections: typeof flags.corrections === 'string' ? fromCwd(flags.corrections) : flags.corrections,
    }),
  );
  progress?.finish();
  if (outcome.interrupted) {
    io.stderr.write(
      `interrupted; the run directory ${outDir} holds what was finished, and the cache keeps every paid answer\n`,
    );
    return ExitCode.interrupted;
  }
  const summary = outcome.value;
  if (flags.json) io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else
    io.stdout.write(
      isExtractSummary(summary) ? renderExtractSummary(summary, io.cwd) : renderDistillSummary(summary, io.cwd),
    );
  return summary.status === 'complete' ? ExitCode.ok : ExitCode.unexpected;
}
