import { emptyOutput, roundRobin, runGenerate, weakLabels } from './common.js';
import type { GenerationStrategy, StrategyContext, StrategyOutput, Weaknesses } from './types.js';
import { CLUSTER_ATTRIBUTE as CLUSTER } from '../skills/index.js';

/**
 * Plain examples of the labels the student is worst at, worst first, in requests of at most four.
 * Before the first diagnosis every label is weak alike. Each request shows a few texts the label
 * already has, so a repeated request asks for something new. Where the skill profile found a weak
 * cluster inside a weak label, every other request of that label is aimed at it (the other half
 * keeps the label's examples varied).
 */
export class WeakLabelStrategy implements GenerationStrategy {
  readonly name = 'weak-label';

  async produce(ctx: StrategyContext, answers: number): Promise<StrategyOutput> {
    const plan = roundRobin(ctx, weakLabels(ctx), answers);
    if (plan.length === 0) return emptyOutput();
    const weakClusters = clustersByLabel(ctx.weaknesses.weakSkills);
    const asked = new Map<string, number>();
    for (const p of plan) {
      const label = p.request.label;
      const k = asked.get(label) ?? 0;
      asked.set(label, k + 1);
      const clusters = weakClusters.get(label);
      if (!clusters || k % 2 === 1) continue;
      const cluster = clusters[(k / 2) % clusters.length];
      p.request.guidance = {
        ...p.request.guidance,
        attributes: { ...p.request.guidance?.attributes, [CLUSTER]: cluster },
      };
      p.attributes = { ...p.attributes, [CLUSTER]: cluster };
    }
    const { rows, rejected, answers: spent } = await runGenerate(ctx, this.name, plan);
    return { rows, rejected, answers: spent };
  }
}

/** Weak cluster values per label, worst first. */
function clustersByLabel(skills: Weaknesses['weakSkills']): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of skills) {
    if (s.attribute !== CLUSTER || !s.label) continue;
    out.set(s.label, [...(out.get(s.label) ?? []), s.value]);
  }
  return out;
}
