import { emptyOutput, roundRobin, runGenerate, weakLabels } from './common.js';
import type { GenerationStrategy, StrategyContext, StrategyOutput } from './types.js';

/**
 * Plain examples of the labels the student is worst at, worst first, in requests of at most four.
 * Before the first diagnosis every label is weak alike. Each request shows a few texts the label
 * already has, so a repeated request asks for something new.
 */
export class WeakLabelStrategy implements GenerationStrategy {
  readonly name = 'weak-label';

  async produce(ctx: StrategyContext, answers: number): Promise<StrategyOutput> {
    const plan = roundRobin(ctx, weakLabels(ctx), answers);
    if (plan.length === 0) return emptyOutput();
    const { rows, rejected, answers: spent } = await runGenerate(ctx, this.name, plan);
    return { rows, rejected, answers: spent };
  }
}
