export { findLabelIssues, labelIssuesFromProbs, type FindLabelIssuesOptions, type LabelIssue } from './find-issues.js';
export { outOfFoldProbs, assignFolds, type LabeledRow, type OutOfFoldOptions } from './out-of-fold.js';
export {
  confidentLearningIssues,
  perClassThresholds,
  confidentJoint,
  calibrateJoint,
  pruneCounts,
  type ClassIssue,
  type ConfidentLearningOptions,
  type FilterBy,
} from './confident-learning.js';
export {
  repairPlan,
  applyRelabels,
  dropIssues,
  REVIEW_FILE,
  type RepairPlan,
  type RelabelRequest,
  type ReviewLine,
} from './repair.js';
