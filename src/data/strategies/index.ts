import { ConfigError } from '../../errors.js';
import type { GENERATION_STRATEGIES, Task } from '../../task/schema.js';
import { AttributeStrategy } from './attribute.js';
import { HardNegativeStrategy } from './hard-negative.js';
import { MultiHopStrategy } from './multi-hop.js';
import { RetrieveStrategy } from './retrieve.js';
import { TreeStrategy } from './tree.js';
import type { GenerationStrategy, StrategyFactory } from './types.js';
import { WeakLabelStrategy } from './weak-label.js';

export type StrategyName = (typeof GENERATION_STRATEGIES)[number];

/** Every generation strategy a task may name in `data.strategies`. */
export const STRATEGIES: Record<StrategyName, StrategyFactory> = {
  'weak-label': () => new WeakLabelStrategy(),
  'hard-negative': () => new HardNegativeStrategy(),
  attribute: () => new AttributeStrategy(),
  tree: () => new TreeStrategy(),
  'multi-hop': (task) => new MultiHopStrategy(task),
  retrieve: (task) => RetrieveStrategy.fromTask(task),
};

/**
 * One instance per strategy the task names, in its order, for the whole run: strategies keep
 * state across rounds (attribute dimensions, tree coverage, hop chains, texts already retrieved).
 */
export function buildStrategies(task: Task): GenerationStrategy[] {
  const names = [...new Set(task.data.strategies)];
  if (names.includes('retrieve') && !task.data.retrieveFrom) {
    throw new ConfigError('the `retrieve` strategy needs a corpus to retrieve from', {
      field: 'data.retrieveFrom',
      hint: 'set data.retrieveFrom to a file of texts (JSONL, CSV or one per line), or drop `retrieve` from data.strategies',
    });
  }
  return names.map((name) => STRATEGIES[name](task));
}

export { AttributeStrategy } from './attribute.js';
export { HardNegativeStrategy } from './hard-negative.js';
export { MultiHopStrategy } from './multi-hop.js';
export { RetrieveStrategy } from './retrieve.js';
export { TreeStrategy, type LeafCoverage } from './tree.js';
export { WeakLabelStrategy } from './weak-label.js';
export type { Dimension } from './attribute-space.js';
export type { Leaf } from './tree-partition.js';
export type * from './types.js';
