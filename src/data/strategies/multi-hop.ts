import type { Task } from '../../task/schema.js';
import { mapLimit } from '../../util/map-limit.js';
import {
  AVOID_COUNT,
  anchorTexts,
  chunks,
  concurrencyFor,
  emptyOutput,
  knownTexts,
  runGenerate,
  weakLabels,
  type PlannedRequest,
} from './common.js';
import { extractTopics } from './multi-hop-extract.js';
import type { GenerationStrategy, StrategyContext, StrategyOutput } from './types.js';

/** Answers per hop: one extraction feeds a handful of examples. */
const HOP_ANSWERS = 4;
/** Topics taken from one extraction; each gets at least one example. */
const TOPICS_PER_HOP = 2;
/** Seed examples in every hop's prompt: they keep a long chain from drifting off the label. */
const ANCHORS = 3;

interface Chain {
  /** Hops done in the current chain; at `data.hops` the chain starts over from the seeds. */
  hop: number;
  /** Texts the last hop produced: what the next hop expands from. */
  frontier: string[];
}

/**
 * Expansion from the seeds in hops (AIDE). A hop extracts the topic and attributes of its source
 * texts, writes new examples from them, and hands those to the next hop as its source: hop 1
 * expands the seeds, hop 2 what hop 1 wrote, and so on for `data.hops` hops, after which the chain
 * starts again from the seeds. Every hop's prompt also shows a few seeds of the label, so the chain
 * wanders in topic but not away from the label.
 *
 * Without `ask`, a hop is a nearest-neighbour step: the teacher is asked for texts like the
 * previous hop's (the dataset teacher hands out the unused rows nearest them).
 */
export class MultiHopStrategy implements GenerationStrategy {
  readonly name = 'multi-hop';
  private readonly chains = new Map<string, Chain>();
  private readonly hops: number;

  constructor(task: Task) {
    this.hops = task.data.hops;
  }

  async produce(ctx: StrategyContext, answers: number): Promise<StrategyOutput> {
    const sizes = chunks(answers, HOP_ANSWERS);
    if (sizes.length === 0) return emptyOutput();
    const labels = weakLabels(ctx);
    const perLabel = new Map<string, number[]>();
    sizes.forEach((n, i) => {
      const label = labels[i % labels.length];
      perLabel.set(label, [...(perLabel.get(label) ?? []), n]);
    });
    // Hops of one label depend on each other; different labels' chains run side by side.
    const outputs = await mapLimit([...perLabel], concurrencyFor(ctx), async ([label, hopSizes]) => {
      const done: StrategyOutput[] = [];
      for (const n of hopSizes) done.push(await this.hop(ctx, label, n));
      return done;
    });
    const out = emptyOutput();
    for (const o of outputs.flat()) {
      out.rows.push(...o.rows);
      out.rejected.push(...o.rejected);
      out.answers += o.answers;
    }
    return out;
  }

  /** One hop of the label's chain, spending at most `n` answers. */
  private async hop(ctx: StrategyContext, label: string, n: number): Promise<StrategyOutput> {
    const chain = this.chains.get(label) ?? { hop: 0, frontier: [] };
    const seeds = anchorTexts(ctx.known, label, ANCHORS);
    const source = chain.hop > 0 && chain.frontier.length > 0 ? chain.frontier : seeds;
    const hop = String(chain.hop + 1);
    const plan = ctx.teacher.ask
      ? await this.expand(ctx, label, n, source, seeds, chain.hop)
      : [step(label, n, source, hop)];
    const out = await runGenerate(ctx, this.name, plan);

    const produced = out.rows.map((r) => r.text);
    const next = chain.hop + 1;
    this.chains.set(
      label,
      next >= this.hops
        ? { hop: 0, frontier: [] }
        : { hop: next, frontier: produced.length ? produced : chain.frontier },
    );
    return { rows: out.rows, rejected: out.rejected, answers: out.answers };
  }

  /** Extract topics from the source texts and ask for examples of each, the seeds shown alongside. */
  private async expand(
    ctx: StrategyContext,
    label: string,
    n: number,
    source: string[],
    seeds: string[],
    page: number,
  ): Promise<PlannedRequest[]> {
    const hop = String(page + 1);
    const topics = source.length
      ? await extractTopics(ctx.teacher.ask!.bind(ctx.teacher), label, source, Math.min(n, TOPICS_PER_HOP))
      : [];
    const avoid = knownTexts(ctx.known, label, AVOID_COUNT, page);
    const common = { ...(seeds.length ? { anchors: seeds } : {}), ...(avoid.length ? { avoid } : {}) };
    if (topics.length === 0) return [{ request: { label, n, guidance: common }, attributes: { hop } }];
    const sizes = topics.map((_, i) => Math.floor(n / topics.length) + (i < n % topics.length ? 1 : 0));
    return topics.map((t, i) => ({
      request: {
        label,
        n: sizes[i],
        guidance: {
          note: `about ${t.topic}`,
          ...(Object.keys(t.attributes).length ? { attributes: t.attributes } : {}),
          ...common,
        },
      },
      attributes: { hop, topic: t.topic },
    }));
  }
}

/** A nearest-neighbour hop: texts like the source ones. */
function step(label: string, n: number, source: string[], hop: string): PlannedRequest {
  return { request: { label, n, guidance: source.length ? { anchors: source } : {} }, attributes: { hop } };
}
