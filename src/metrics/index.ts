export {
  computeMetrics,
  confusionMatrix,
  f1Score,
  perLabelScores,
  singleLabelMetrics,
  type LabelCounts,
  type LabeledPairs,
  type PerLabel,
} from './classification.js';
export { mostConfusedPairs, weakestLabels } from './diagnose.js';
export { evaluate } from './evaluate.js';
