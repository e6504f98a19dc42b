import type { LabeledText } from '../../core/types.js';
import { labelCentroids, mostSimilarLabels } from '../../text/label-similarity.js';
import {
  AVOID_COUNT,
  GENERATE_CHUNK,
  emptyOutput,
  knownTexts,
  runGenerate,
  taskLabels,
  type PlannedRequest,
} from './common.js';
import type { GenerationStrategy, StrategyContext, StrategyOutput } from './types.js';

interface Pair {
  gold: string;
  predicted: string;
  count: number;
}

/**
 * Examples of label A written to be mistakable for label B, for the pairs the student confuses
 * most (gold A predicted B). A pair gets requests in proportion to how often it is confused.
 * Before any confusion is measured (round 0, or a perfect validation round) the pairs are each
 * label and the label whose known texts look most like its own.
 */
export class HardNegativeStrategy implements GenerationStrategy {
  readonly name = 'hard-negative';

  async produce(ctx: StrategyContext, answers: number): Promise<StrategyOutput> {
    const pairs = confusedPairs(ctx);
    if (pairs.length === 0 || answers < 1) return emptyOutput();
    const plan: PlannedRequest[] = [];
    const asked = new Map<string, number>();
    let left = Math.floor(answers);
    for (let i = 0; left > 0; i++) {
      const p = pairs[i % pairs.length];
      const n = Math.min(GENERATE_CHUNK, left, Math.max(1, Math.ceil(p.count / 2)));
      const page = asked.get(p.gold) ?? 0;
      asked.set(p.gold, page + 1);
      const avoid = knownTexts(ctx.known, p.gold, AVOID_COUNT, page);
      plan.push({
        request: { label: p.gold, n, guidance: { confusedWith: p.predicted, ...(avoid.length ? { avoid } : {}) } },
        attributes: { confusedWith: p.predicted },
      });
      left -= n;
    }
    const { rows, rejected, answers: spent } = await runGenerate(ctx, this.name, plan);
    return { rows, rejected, answers: spent };
  }
}

function confusedPairs(ctx: StrategyContext): Pair[] {
  const labels = new Set(taskLabels(ctx));
  const measured = ctx.weaknesses.confusedPairs.filter(
    (p) => p.count > 0 && p.gold !== p.predicted && labels.has(p.gold) && labels.has(p.predicted),
  );
  if (measured.length > 0) return measured;
  return similarPairs([...ctx.known.seeds, ...ctx.known.rows], labels);
}

/** Each label with the label most like it, by the centroids of their known texts. */
function similarPairs(rows: readonly LabeledText[], labels: ReadonlySet<string>): Pair[] {
  const usable = rows.filter((r) => r.labels.some((l) => labels.has(l)));
  const centroids = labelCentroids(usable);
  if (centroids.size < 2) return [];
  const pairs: Pair[] = [];
  for (const label of labels) {
    const [nearest] = mostSimilarLabels(centroids, label, 1);
    if (nearest && labels.has(nearest.label)) pairs.push({ gold: label, predicted: nearest.label, count: 1 });
  }
  return pairs;
}
