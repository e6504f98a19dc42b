import type { Task } from '../task/schema.js';
import type { DistillOptions, DistillSummary } from './types.js';
import type { LabeledText } from '../core/types.js';
import { createTeacher } from '../teacher/registry.js';
import { PoolIndex } from '../read/pool-index.js';
import { readLabeled } from '../read/read-labeled.js';
import { distillFrame } from './run-frame.js';
import { planRun, poolSample } from '../loop/plan.js';
import { runLoop } from '../loop/run-loop.js';
import { writeRunOutputs } from './write-outputs.js';
import { textId } from '../util/hash.js';
import { ConfigError } from '../errors.js';
import { withHumanLabels } from '../teacher/human-labels.js';
import { correctionsFileFor, taskCorrections } from './human-corrections.js';

/**
 * Runs a task end to end: reads its data, opens the teacher behind the cache and budget, runs the
 * loop, and writes the run directory. The directory is marked complete only after everything in it
 * is written; a run that fails or is killed stays marked as running/failed.
 */
export async function distill(task: Task, options: DistillOptions): Promise<DistillSummary> {
  if (task.kind !== undefined && task.kind !== 'classify') throw notClassifyError(task);
  return distillFrame(
    task,
    options,
    async ({ run, runId, dir, gate, emitter, teacherContext, started, announce, onClose }) => {
      // The caller's pool index is the run's to close, however the run ends.
      const given = options.pool;
      if (given) onClose(() => given.close());
      const teacherTask = {
        instruction: task.instruction,
        labels: task.labels,
        multiLabel: task.multiLabel,
        seeds: task.seeds,
      };
      const teacher = await createTeacher(task.teacher, { ...teacherContext, task: teacherTask });
      announce(teacher);
      const gold: LabeledText[] | undefined = task.eval
        ? readLabeled(task.eval, { allowedLabels: task.labels.map((l) => l.name), multiLabel: task.multiLabel }).rows
        : undefined;
      const goldIds = new Set((gold ?? []).map((g) => textId(g.text)));
      const correctionsFile = correctionsFileFor(dir, options.corrections);
      const evalTexts = new Set((gold ?? []).map((g) => g.text));
      const human = correctionsFile ? taskCorrections(correctionsFile, task, evalTexts) : undefined;
      // Texts a reviewer decided on are not the teacher's to label: out of the pool, so never paid for.
      const reviewed = [...(human?.labels.keys() ?? []), ...(human?.unusable ?? [])].map((t) => textId(t));
      // Streamed into an on-disk index, gold texts left out: memory does not grow with the pool.
      const exclude = new Set([...goldIds, ...reviewed]);
      const pool = given ? given.withoutIds(exclude) : task.pool ? PoolIndex.build(task.pool, { exclude }) : undefined;
      if (pool) onClose(() => pool.close());
      if (pool && pool.size === 0) throw poolIsEvalError(task);
      const poolSize = pool?.size ?? 0;
      emitter.emit({
        type: 'data-loaded',
        pool: poolSize,
        gold: gold?.length ?? 0,
        seeds: task.seeds.length,
        ...(human ? { human: human.labels.size, unusable: human.unusable.size } : {}),
      });
      const plan =
        options.plan ?? planRun(task, { poolSize, poolSample: pool ? poolSample(pool) : [], goldSize: gold?.length });

      const reviewTeacher = task.data.reviewTeacher
        ? await createTeacher(
            { ...task.teacher, model: task.data.reviewTeacher, noise: 0 },
            { ...teacherContext, task: teacherTask },
          )
        : undefined;
      // Also for texts the loop meets outside the pool (a generated text, a second opinion).
      const humanOr = (t: typeof teacher) => (human ? withHumanLabels(t, human.labels) : t);
      const outcome = await runLoop({
        task,
        teacher: humanOr(teacher),
        gate,
        pool: pool ?? [],
        gold,
        reviewTeacher: reviewTeacher && humanOr(reviewTeacher),
        human,
        emitter,
        signal: options.signal,
        onRound: options.onRound,
      });
      const summary = writeRunOutputs({ run, runId, dir, task, teacher, gate, outcome, started, plan, human });
      return { summary, stopReason: outcome.stopReason };
    },
  );
}

/** `distill` is the classify kind's runner; other kinds run through `distillTask` (run/task-kinds.ts). */
function notClassifyError(task: Task): ConfigError {
  return new ConfigError(`distill() runs classification tasks; ${task.name} is a \`kind: ${task.kind}\` task`, {
    file: task.file,
    field: 'kind',
    hint: 'call distillTask(task, options): it runs any task kind',
  });
}

/** Every pool text is an eval row: nothing could be labeled without training on the test. */
function poolIsEvalError(task: Task): ConfigError {
  return new ConfigError(
    `every text in pool (${task.pool}) is also in eval (${task.eval}), so nothing is left to label once the evaluation rows are set aside`,
    {
      file: task.file,
      field: 'pool',
      hint: 'give a pool of unlabeled texts that differs from the eval file (pool / --pool), or a different eval file (eval / --eval)',
    },
  );
}
