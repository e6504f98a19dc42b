import { createExtractTeacher } from '../../data/extract/extract-teacher.js';
import { ConfigError } from '../../errors.js';
import { readExtractGold, readExtractPool } from '../../loop/extract/pool.js';
import { runExtractLoop } from '../../loop/extract/run-extract-loop.js';
import type { ExtractDistillSummary } from '../../report/extract/types.js';
import type { Task } from '../../task/schema.js';
import { correctionsFileFor } from '../human-corrections.js';
import { distillFrame } from '../run-frame.js';
import type { DistillOptions } from '../types.js';
import { withHumanSpans } from './human-rows.js';
import { writeExtractOutputs } from './write-extract-outputs.js';

/**
 * `distill` for a `kind: extract` task: the same run frame (run/run-frame.ts: run directory,
 * cache, budget, events, complete or failed) as a classification run, with the extraction teacher, loop and outputs.
 */
export async function distillExtract(task: Task, options: DistillOptions): Promise<ExtractDistillSummary> {
  return distillFrame(task, options, async ({ run, runId, dir, gate, emitter, teacherContext, started, announce }) => {
    const teacher = await createExtractTeacher(task, teacherContext);
    announce(teacher);
    const types = task.labels.map((l) => l.name);
    const gold = task.eval ? readExtractGold(task.eval, types) : undefined;
    if (!task.pool)
      throw new ConfigError('an extraction task needs a pool of texts to annotate', {
        file: task.file,
        field: 'pool',
        hint: 'set pool: to a file of texts (one per line, JSONL "text", or a labeled CoNLL/JSONL file whose texts are used)',
      });
    const read = readExtractPool(task.pool);
    // Reviewers' span corrections: their texts join as rows the teacher is never asked about.
    const correctionsFile = correctionsFileFor(dir, options.corrections);
    const human = withHumanSpans(task, read.texts, gold, correctionsFile);
    emitter.emit({
      type: 'data-loaded',
      pool: human.pool.length,
      gold: gold?.length ?? 0,
      seeds: task.spanSeeds?.length ?? 0,
      ...(human.used ? { human: human.used.reviewers.size, unusable: human.used.unusable } : {}),
    });
    const outcome = await runExtractLoop({
      task: human.task,
      teacher,
      gate,
      pool: human.pool,
      gold,
      emitter,
      signal: options.signal,
      duplicates: read.duplicates,
    });
    const summary = writeExtractOutputs({
      run,
      runId,
      dir,
      task,
      teacher,
      gate,
      outcome,
      gold,
      started,
      ...(human.used ? { human: human.used } : {}),
    });
    return { summary, stopReason: outcome.stopReason };
  });
}
