import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../../errors.js';
import type { CommandContext } from '../main.js';
import { positiveInt } from '../parse.js';

interface PlanFlags {
  budgetAnswers?: number;
  pool?: string;
  eval?: string;
  teacher?: string;
  json?: boolean;
}

export function registerPlan(program: Command, ctx: CommandContext): void {
  program
    .command('plan')
    .description(
      'estimate what a distill run would spend (answers, requests, tokens, dollars, time) without sending anything',
    )
    .argument('<task>', 'task file (YAML or JSON)')
    .option('--budget-answers <n>', 'cap on teacher answers (overrides budget.answers)', positiveInt)
    .option('--pool <file>', 'unlabeled inputs (overrides pool)')
    .option('--eval <gold.jsonl>', 'gold labeled file (overrides eval)')
    .option('--teacher <provider:model>', 'teacher model to price (overrides teacher.model)')
    .option('--json', 'print the plan as one JSON object')
    .action(async (taskFile: string, flags: PlanFlags) => {
      ctx.setExitCode(await runPlan(ctx, taskFile, flags));
    });
}

async function runPlan(ctx: CommandContext, taskFile: string, flags: PlanFlags): Promise<number> {
  const { io } = ctx;
  const { loadTask, applyOverrides } = await import('../../task/load.js');
  const { taskKindRunner } = await import('../../run/task-kinds.js');
  const { renderPlan } = await import('../plan-table.js');
  const task = applyOverrides(
    loadTask(path.resolve(io.cwd, taskFile)),
    { budgetAnswers: flags.budgetAnswers, pool: flags.pool, eval: flags.eval, teacher: flags.teacher },
    { cwd: io.cwd },
  );
  const runner = taskKindRunner(task);
  if (!runner.plan)
    throw new ConfigError(`apprentice plan cannot plan a \`kind: ${runner.name}\` task yet`, {
      file: task.file,
      field: 'kind',
      hint: 'cap the run with budget.answers (one answer = one text annotated) and run apprentice distill',
    });
  const plan = await runner.plan(task);
  io.stdout.write(flags.json ? `${JSON.stringify(plan, null, 2)}\n` : renderPlan(plan));
  return 0;
}
