import type { CostPlan } from '../loop/plan.js';

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const usd = (n: number) => (n < 0.01 && n > 0 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`);

function duration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** One line for the start of a run. */
export function planLine(plan: CostPlan): string {
  const cost = plan.dollars
    ? `${usd(plan.dollars.online)} (${usd(plan.dollars.batch)} in batch mode)`
    : 'no price known';
  return `plan: up to ${int(plan.answers)} answers in ${int(plan.requests)} requests, ~${int(plan.inputTokens + plan.outputTokens)} tokens, ${cost}, ~${duration(plan.wallSeconds)}`;
}

/** The whole plan, for `apprentice plan`. */
export function renderPlan(plan: CostPlan): string {
  const rows = plan.breakdown.map(
    (l) =>
      `  ${l.purpose.padEnd(18)} ${int(l.answers).padStart(9)} ${int(l.requests).padStart(9)} ${int(l.inputTokens).padStart(12)} ${int(l.outputTokens).padStart(12)}`,
  );
  const lines = [
    `Teacher ${plan.teacher}${plan.price ? ` at $${plan.price.inputPerMTok}/$${plan.price.outputPerMTok} per million input/output tokens` : ''}, ${plan.rounds} rounds`,
    '',
    `  ${'calls for'.padEnd(18)} ${'answers'.padStart(9)} ${'requests'.padStart(9)} ${'input tok'.padStart(12)} ${'output tok'.padStart(12)}`,
    ...rows,
    `  ${'total'.padEnd(18)} ${int(plan.answers).padStart(9)} ${int(plan.requests).padStart(9)} ${int(plan.inputTokens).padStart(12)} ${int(plan.outputTokens).padStart(12)}`,
    '',
    plan.dollars
      ? `Cost: ${usd(plan.dollars.online)} online, ${usd(plan.dollars.batch)} in batch mode`
      : 'Cost: unknown (no price for this teacher; set teacher.price in the task file)',
    `Wall time: about ${duration(plan.wallSeconds)}`,
    '',
    'Assumptions:',
    ...plan.assumptions.map((a) => `  - ${a}`),
  ];
  return `${lines.join('\n')}\n`;
}
