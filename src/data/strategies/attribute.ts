import type { TextClusters } from '../../text/clusters.js';
import { BalancedPicker } from './balanced.js';
import { CLUSTER_ATTRIBUTE, attributeKey } from '../skills/index.js';
import { proposeDimensions, type Dimension } from './attribute-space.js';
import {
  AVOID_COUNT,
  chunks,
  emptyOutput,
  knownTexts,
  runGenerate,
  weakLabels,
  type PlannedRequest,
} from './common.js';
import type { GenerationStrategy, StrategyContext, StrategyOutput, Weaknesses } from './types.js';

/** Examples per combination: small, so a round covers many combinations. */
const ATTRIBUTE_CHUNK = 2;
/** At most this share of a round's requests is aimed at weak attribute values; the rest spread. */
const WEAK_SHARE = 0.5;

type Space =
  | { kind: 'dimensions'; dimensions: Dimension[] }
  | { kind: 'clusters'; clusters: TextClusters }
  | { kind: 'plain' };

type WeakSkill = Weaknesses['weakSkills'][number];

/**
 * Attribute-conditioned generation (AttrPrompt). Once per run the teacher proposes the task's
 * attribute dimensions (length, tone, kind of writer, topic…); every request then asks for
 * examples with one sampled combination of values. Values are spread evenly over the run, weak
 * labels come first, and values the skill profile found weak are aimed at first.
 *
 * A teacher that cannot be asked (the dataset teacher) has no such knowledge: the attributes are
 * then the data's own kinds of text, per-label clusters, and the teacher hands out rows of the
 * asked cluster. Any other teacher without `ask` gets plain requests.
 */
export class AttributeStrategy implements GenerationStrategy {
  readonly name = 'attribute';
  private space?: Space;
  private readonly picker = new BalancedPicker();

  /** The dimensions in use (empty before the first round, or when they come from clusters). */
  dimensions(): Dimension[] {
    return this.space?.kind === 'dimensions' ? this.space.dimensions.map((d) => ({ ...d, values: [...d.values] })) : [];
  }

  async produce(ctx: StrategyContext, answers: number): Promise<StrategyOutput> {
    const sizes = chunks(answers, ATTRIBUTE_CHUNK);
    if (sizes.length === 0) return emptyOutput();
    this.space ??= await discover(ctx);
    const space = this.space;

    const labels = weakLabels(ctx);
    const weak = weakSkills(ctx, space).slice(0, Math.floor(sizes.length * WEAK_SHARE));
    const pages = new Map<string, number>();
    let next = 0;
    const plan = sizes.map((n, i): PlannedRequest => {
      const skill = weak[i];
      const label = skill?.label ?? clusterLabel(space, skill) ?? labels[next++ % labels.length];
      const page = pages.get(label) ?? 0;
      pages.set(label, page + 1);
      const avoid = knownTexts(ctx.known, label, AVOID_COUNT, page);
      const attributes = this.sample(ctx, space, label, skill);
      return {
        request: { label, n, guidance: { ...(attributes ? { attributes } : {}), ...(avoid.length ? { avoid } : {}) } },
      };
    });

    const out = await runGenerate(ctx, this.name, plan, (p, text) => rowAttributes(space, p, text));
    return { rows: out.rows, rejected: out.rejected, answers: out.answers };
  }

  /** One combination for a request: a forced weak value where given, the least used elsewhere. */
  private sample(
    ctx: StrategyContext,
    space: Space,
    label: string,
    forced: WeakSkill | undefined,
  ): Record<string, string> | undefined {
    if (space.kind === 'plain') return undefined;
    if (space.kind === 'clusters') {
      const ids = space.clusters.clustersOf(label).map((c) => c.id);
      if (forced && ids.includes(forced.value)) {
        this.picker.use(label, forced.value);
        return { cluster: forced.value };
      }
      const id = this.picker.pick(label, ids, ctx.rng);
      return id === undefined ? undefined : { cluster: id };
    }
    const attributes: Record<string, string> = {};
    for (const d of space.dimensions) {
      if (forced && forced.attribute === attributeKey(d.name)) {
        this.picker.use(d.name, forced.value);
        attributes[d.name] = forced.value;
      } else {
        attributes[d.name] = this.picker.pick(d.name, d.values, ctx.rng)!;
      }
    }
    return attributes;
  }
}

async function discover(ctx: StrategyContext): Promise<Space> {
  const { teacher } = ctx;
  if (teacher.ask) {
    const dimensions = await proposeDimensions(
      teacher.ask.bind(teacher),
      ctx.task.labels.map((l) => l.name),
    );
    return dimensions ? { kind: 'dimensions', dimensions } : { kind: 'plain' };
  }
  const clusters = teacher.clusters?.();
  return clusters ? { kind: 'clusters', clusters } : { kind: 'plain' };
}

/** Weak skills this space can aim at, worst first. */
function weakSkills(ctx: StrategyContext, space: Space): WeakSkill[] {
  const labels = new Set(ctx.task.labels.map((l) => l.name));
  return ctx.weaknesses.weakSkills.filter((s) => {
    if (!(s.errorRate > 0) || (s.label !== undefined && !labels.has(s.label))) return false;
    if (space.kind === 'clusters')
      return s.attribute === CLUSTER_ATTRIBUTE && space.clusters.get(s.value) !== undefined;
    if (space.kind === 'dimensions')
      return space.dimensions.some((d) => s.attribute === attributeKey(d.name) && d.values.includes(s.value));
    return false;
  });
}

function clusterLabel(space: Space, skill: WeakSkill | undefined): string | undefined {
  return skill && space.kind === 'clusters' ? space.clusters.get(skill.value)?.label : undefined;
}

/**
 * What a row records: the asked values, or, for the dataset teacher, the cluster the handed-out
 * row really belongs to (rows near a cluster's centroid can sit in a neighbouring one).
 */
function rowAttributes(space: Space, planned: PlannedRequest, text: string): Record<string, string> | undefined {
  const asked = planned.request.guidance?.attributes;
  if (!asked) return undefined;
  if (space.kind === 'clusters')
    return { cluster: space.clusters.assign(text, planned.request.label) ?? asked.cluster };
  return Object.fromEntries(Object.entries(asked).map(([k, v]) => [attributeKey(k), v]));
}
