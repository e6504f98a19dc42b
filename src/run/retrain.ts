import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Example } from '../data/example.js';
import { ConfigError } from '../errors.js';
import { TrainingSet } from '../loop/training-set.js';
import { evaluate } from '../metrics/index.js';
import { readLabeled } from '../read/read-labeled.js';
import { loadStudent, trainStudent } from '../student/registry.js';
import type { Task } from '../task/schema.js';
import type { Teacher } from '../teacher/types.js';
import { correctionsFileFor, taskCorrections } from './human-corrections.js';
import { RUN_FILES, readRunStatus } from './run-files.js';
import { readRunJson, readRunJsonl } from './read-run-files.js';
import { refuseTeacherCall, retrainFrame } from './run-frame.js';
import type { ExtractDistillSummary } from '../report/extract/types.js';
import { retrainExtract } from './extract/retrain-extract.js';
import type { DistillSummary } from './types.js';
import { writeRunOutputs } from './write-outputs.js';

/** What summary.json of a retrained run adds (`summary.retrain`): the original run and the scores before and after. */
export type RetrainInfo = NonNullable<DistillSummary['retrain']>;
type Scores = RetrainInfo['after'];

export interface RetrainOptions {
  /** Directory of the new run. Default: a new `<task>-<time>-<hex>` beside the original run. */
  outDir?: string;
  /** Corrections file; false for none. Default: `<runs>/.studio/corrections.sqlite` beside the original run. */
  corrections?: string | false;
}

/**
 * "Retrain now": a new student from a finished run's training rows with reviewers' current
 * corrections applied (a corrected row takes the reviewer's label and provenance `human`, an
 * unusable one is left out), scored against the original student on the run's gold rows. No teacher
 * is asked. The result is a complete run directory of its own beside the original (report, model,
 * training.jsonl), whose summary.json says `retrain.of`, so it shows up in `apprentice studio` and can
 * be exported like any run.
 */
export function retrain(
  runDir: string,
  options: RetrainOptions = {},
): { dir: string; summary: DistillSummary | ExtractDistillSummary } {
  const source = resolve(runDir);
  const info = readRunStatus(source);
  if (!info) throw retrainError(`${source} is not a run directory (no run.json)`, 'give the directory distill wrote');
  if (info.status !== 'complete')
    throw retrainError(`run ${basename(source)} is ${info.status}: only a complete run has final training rows`);
  const task = readRunJson<Task>(join(source, RUN_FILES.task));
  // An extraction run retrains a sequence student from its texts and spans.
  if (task.kind === 'extract') return retrainExtract(source, task, options);
  if (!task.eval || !existsSync(task.eval))
    throw retrainError(
      `run ${basename(source)} has no gold rows to score on (task eval: ${task.eval ?? 'none'})`,
      'give the task an eval file (eval / --eval) and distill it again; retrain compares students on gold rows',
    );
  const original = readRunJson<DistillSummary>(join(source, RUN_FILES.summary));
  const labels = task.labels.map((l) => l.name);
  const gold = readLabeled(task.eval, { allowedLabels: labels, multiLabel: task.multiLabel }).rows;

  const file = correctionsFileFor(source, options.corrections);
  const human = file ? taskCorrections(file, task, new Set(gold.map((g) => g.text))) : undefined;
  const set = new TrainingSet();
  let unusable = 0;
  for (const e of readRunJsonl<Example>(join(source, RUN_FILES.training))) {
    const h = human?.labels.get(e.text);
    if (human?.unusable.has(e.text)) unusable += 1;
    else if (h)
      set.add({ ...e, labels: h.labels, source: 'human', teacher: 'human', reviewer: h.reviewer, confidence: 1 });
    else set.add(e);
  }

  const started = performance.now();
  const student = trainStudent(
    task.student.kind,
    set.rows(),
    { labels, multiLabel: task.multiLabel, seed: task.seed },
    task.student.params,
  );
  const final = evaluate(student, gold);
  const beforeModel = join(source, RUN_FILES.student);
  const before = existsSync(beforeModel) ? scores(evaluate(loadStudent(beforeModel), gold)) : undefined;

  return retrainFrame(
    source,
    task,
    { outDir: options.outDir, teacherId: original.teacher.id },
    ({ run, runId, dir, gate }) => {
      const summary = writeRunOutputs({
        run,
        runId,
        dir,
        task,
        teacher: noTeacher(original.teacher.id, original.teacher.kind),
        gate,
        outcome: {
          student,
          set,
          rounds: [],
          stopReason: 'retrain',
          validation: { rows: gold, split: 'gold' },
          final,
          poolExcluded: 0,
          review: [],
        },
        started,
        human: human && { unusable: human.unusable, file: human.file },
      });
      const info: RetrainInfo = {
        of: basename(source),
        ...(before ? { before } : {}),
        after: scores(final),
        rows: original.trainingRows,
        human: set.examples.filter((e) => e.source === 'human').length,
        unusable,
      };
      return { summary, retrain: info };
    },
  );
}

const scores = (m: { accuracy: number; macroF1: number; n: number }): Scores => ({
  accuracy: m.accuracy,
  macroF1: m.macroF1,
  n: m.n,
});

/** The original run's teacher, named for the report, which a retrain never asks. */
function noTeacher(id: string, kind: Teacher['kind']): Teacher {
  return {
    id,
    kind,
    concurrency: 1,
    label: async () => refuseTeacherCall(),
    generate: async () => refuseTeacherCall(),
  };
}

function retrainError(message: string, hint = 'open a complete run'): ConfigError {
  return new ConfigError(message, { hint });
}
