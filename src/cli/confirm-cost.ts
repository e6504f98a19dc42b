import { createInterface } from 'node:readline';
import { ConfigError } from '../errors.js';
import type { CostPlan } from '../loop/plan.js';
import type { CliIo } from './io.js';

/**
 * Asks before a run whose planned cost is above `budget.confirmAbove`. Resolves true to go on.
 * With no terminal to ask on (CI, a pipe), refuses: a paid run never starts unattended by accident.
 */
export async function confirmCost(io: CliIo, plan: CostPlan, confirmAbove: number | undefined, yes: boolean) {
  const cost = plan.dollars?.online;
  if (confirmAbove === undefined || cost === undefined || cost <= confirmAbove || yes) return true;
  const what = `the plan estimates $${cost.toFixed(2)}, above budget.confirmAbove ($${confirmAbove.toFixed(2)})`;
  if (!io.stdin?.isTTY) {
    throw new ConfigError(`${what}, and there is no terminal to ask on`, {
      field: 'budget.confirmAbove',
      hint: 'pass --yes to accept the cost, lower the budget, or raise budget.confirmAbove (apprentice plan shows the estimate)',
    });
  }
  const rl = createInterface({ input: io.stdin, output: io.stderr as NodeJS.WritableStream });
  try {
    const answer = await new Promise<string>((resolve) => rl.question(`${what}. Start the run? [y/N] `, resolve));
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
