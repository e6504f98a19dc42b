import {
  AVOID_COUNT,
  chunks,
  emptyOutput,
  knownTexts,
  labelsWeakFirst,
  runGenerate,
  taskLabels,
  type PlannedRequest,
} from './common.js';
import { partitionByClusters, partitionByTeacher, type Leaf } from './tree-partition.js';
import type { GenerationStrategy, StrategyContext, StrategyOutput } from './types.js';

/** Examples per leaf per request: small, so the least covered leaf changes often. */
const TREE_CHUNK = 2;

export interface LeafCoverage {
  leaf: string;
  label: string;
  /** Rows this strategy has produced for the leaf so far. */
  rows: number;
}

/**
 * Generation over a partition of the task space (TreeSynth). Once per run the task is split into
 * mutually exclusive, exhaustive leaves (label, then the teacher's sub-topics of it); each request
 * goes to the least covered leaf, so the examples spread over the whole space instead of piling up
 * where the teacher's habits lead. Ties go to the weaker label.
 *
 * Without `ask` the leaves are the dataset's per-label clusters (dataset teacher) or the labels.
 */
export class TreeStrategy implements GenerationStrategy {
  readonly name = 'tree';
  private leaves?: Leaf[];
  private readonly rows = new Map<string, number>();

  /** Rows produced per leaf, in leaf order; empty before the tree is built. */
  coverage(): LeafCoverage[] {
    return (this.leaves ?? []).map((l) => ({ leaf: l.path, label: l.label, rows: this.rows.get(l.path) ?? 0 }));
  }

  async produce(ctx: StrategyContext, answers: number): Promise<StrategyOutput> {
    const sizes = chunks(answers, TREE_CHUNK);
    if (sizes.length === 0) return emptyOutput();
    this.leaves ??= await buildLeaves(ctx);
    const leaves = this.leaves;
    if (leaves.length === 0) return emptyOutput();

    const rank = new Map(labelsWeakFirst(ctx).map((l, i) => [l, i]));
    const planned = new Map<string, number>();
    const load = (leaf: Leaf) => (this.rows.get(leaf.path) ?? 0) + (planned.get(leaf.path) ?? 0);
    const pages = new Map<string, number>();
    const plan = sizes.map((n): PlannedRequest => {
      let best = leaves[0];
      for (const leaf of leaves.slice(1)) {
        const d = load(leaf) - load(best) || (rank.get(leaf.label) ?? Infinity) - (rank.get(best.label) ?? Infinity);
        if (d < 0) best = leaf;
      }
      planned.set(best.path, (planned.get(best.path) ?? 0) + n);
      const page = pages.get(best.label) ?? 0;
      pages.set(best.label, page + 1);
      const avoid = knownTexts(ctx.known, best.label, AVOID_COUNT, page);
      const attributes: Record<string, string> = {
        leaf: best.path,
        ...(best.cluster ? { cluster: best.cluster } : {}),
      };
      return {
        request: {
          label: best.label,
          n,
          guidance: {
            attributes,
            ...(best.description ? { note: best.description } : {}),
            ...(avoid.length ? { avoid } : {}),
          },
        },
        attributes: { leaf: best.path },
      };
    });

    const out = await runGenerate(ctx, this.name, plan);
    out.perRequest.forEach((rows, i) => {
      const leaf = plan[i].request.guidance!.attributes!.leaf;
      this.rows.set(leaf, (this.rows.get(leaf) ?? 0) + rows.length);
    });
    return { rows: out.rows, rejected: out.rejected, answers: out.answers };
  }
}

async function buildLeaves(ctx: StrategyContext): Promise<Leaf[]> {
  const labels = taskLabels(ctx);
  const { teacher } = ctx;
  if (teacher.ask) return partitionByTeacher(teacher.ask.bind(teacher), labels);
  const clusters = teacher.clusters?.();
  if (clusters) return partitionByClusters(clusters, labels);
  return labels.map((label) => ({ path: label, label }));
}
