/**
 * The application's types: what a run directory holds and what `distill` takes and returns.
 * The summary types are defined in report/ (the report renders them; run/ sits above it) and re-exported here.
 */
import type { PoolIndex } from '../read/pool-index.js';
import type { Emitter } from '../events.js';
import type { RoundCheckpoint } from '../loop/types.js';
import type { Store } from '../store/types.js';
import type { CostPlan } from '../loop/plan.js';

export type { DistillSummary, TextDiversity, TrainingDataStats } from '../report/types.js';

export interface DistillOptions {
  /** Run directory to write (created; must not already hold a complete run unless `overwrite`). */
  outDir: string;
  /** Teacher cache + ledger. Default: SqliteStore at `cachePath`. */
  store?: Store;
  /** Default: `.apprentice/cache.sqlite` under the current directory. */
  cachePath?: string;
  emitter?: Emitter;
  signal?: AbortSignal;
  /** Replace a complete run already in `outDir`. */
  overwrite?: boolean;
  /**
   * Called after every round's training and evaluation with that round's student, e.g. to score it
   * on data the loop must never see (a held-out set) or to keep checkpoints. It runs inside the
   * loop: what it throws fails the run, and the time it takes is the run's.
   */
  onRound?: (checkpoint: RoundCheckpoint) => void;
  /**
   * Reviewers' corrections to train on instead of the teacher's labels (`apprentice studio`): a
   * corrections file, or `false` for none. Default: `<parent of outDir>/.studio/corrections.sqlite`,
   * the file the studio keeps for the runs directory this run is written into.
   */
  corrections?: string | false;
  /** The cost plan the caller already made (e.g. to confirm it); default: planned from the data read. */
  plan?: CostPlan;
  /**
   * The task's pool file already indexed (run/plan-task planTaskKeepingPool), so a pool of millions
   * is read once, not once to plan and once to run. The run takes it over and closes it.
   */
  pool?: PoolIndex;
}
