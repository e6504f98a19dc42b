import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ConfigError } from '../../errors.js';
import { scoreStudent } from '../../loop/extract/evaluate.js';
import { readExtractGold } from '../../loop/extract/pool.js';
import type { ExtractRow, ExtractSource } from '../../loop/extract/types.js';
import type { ExtractDistillSummary, ExtractRetrainScores } from '../../report/extract/types.js';
import { loadSpanStudent, trainSpanStudent } from '../../student/span-registry.js';
import type { Task } from '../../task/schema.js';
import type { ExtractTeacher, TeacherSpan } from '../../teacher/extract/types.js';
import type { TokenOffsets } from '../../text/spans/types.js';
import { textId } from '../../util/hash.js';
import { correctionsFileFor } from '../human-corrections.js';
import { readRunJson, readRunJsonl } from '../read-run-files.js';
import { RUN_FILES } from '../run-files.js';
import { refuseTeacherCall, retrainFrame } from '../run-frame.js';
import { taskSpanCorrections } from './human-spans.js';
import { writeExtractOutputs } from './write-extract-outputs.js';

/** A line of an extraction run's training.jsonl (src/run/extract/write-extract-outputs.ts). */
interface TrainingLine {
  text: string;
  spans: TeacherSpan[];
  tokens?: TokenOffsets[];
  source: ExtractSource | 'human';
  round: number;
  reviewer?: string;
  uncertainty?: number;
  rejectedMentions?: ExtractRow['rejected'];
}

/**
 * "Retrain now" for an extraction run: a new sequence student from the finished run's training
 * texts with reviewers' span corrections applied (an accepted or edited text takes the reviewer's
 * spans and provenance `human`, a rejected one is left out), scored against the run's own student
 * on the task's gold texts (micro span precision, recall, F1). No teacher is asked. Written as a
 * complete extraction run beside the original whose summary.json says `retrain.of`.
 */
export function retrainExtract(
  source: string,
  task: Task,
  options: { outDir?: string; corrections?: string | false },
): { dir: string; summary: ExtractDistillSummary } {
  const types = task.labels.map((l) => l.name);
  if (!task.eval || !existsSync(task.eval))
    throw new ConfigError(`run ${basename(source)} has no gold texts to score on (task eval: ${task.eval ?? 'none'})`, {
      hint: 'give the task an eval file (eval: a CoNLL or entity JSONL file) and distill it again; retrain compares students on gold texts',
    });
  const gold = readExtractGold(task.eval, types);
  const original = readRunJson<ExtractDistillSummary>(join(source, RUN_FILES.summary));
  const file = correctionsFileFor(source, options.corrections);
  const human = file ? taskSpanCorrections(file, task, new Set(gold.map((g) => g.text))) : undefined;

  const reviewers = new Map<string, string>();
  const training: ExtractRow[] = [];
  let unusable = 0;
  for (const line of readRunJsonl<TrainingLine>(join(source, RUN_FILES.training))) {
    const id = textId(line.text);
    if (human?.unusable.has(line.text)) {
      unusable += 1;
      continue;
    }
    const h = human?.spans.get(line.text);
    if (h) reviewers.set(id, h.reviewer);
    else if (line.source === 'human') reviewers.set(id, line.reviewer ?? 'human');
    training.push({
      id,
      text: line.text,
      spans: h ? h.spans.map((s) => ({ ...s, status: 'gold' as const })) : line.spans,
      ...(line.tokens ? { tokens: line.tokens } : {}),
      // The writer stamps reviewed rows `human` from `reviewers`; in memory a reviewed row is a seed.
      source: line.source === 'human' ? 'seed' : line.source,
      round: line.round,
      rejected: line.rejectedMentions ?? [],
      ...(line.uncertainty !== undefined ? { uncertainty: line.uncertainty } : {}),
    });
  }

  const started = performance.now();
  const student = trainSpanStudent(
    task.student.kind,
    training.map((r) => ({ text: r.text, spans: r.spans, ...(r.tokens ? { tokens: r.tokens } : {}) })),
    { types, seed: task.seed },
    task.student.params,
  );
  const micro = (s: Parameters<typeof scoreStudent>[0]): ExtractRetrainScores => {
    const m = scoreStudent(s, gold, types).metrics.micro;
    return { precision: m.precision, recall: m.recall, f1: m.f1, n: gold.length };
  };
  const beforeModel = join(source, RUN_FILES.student);
  const before = existsSync(beforeModel) ? micro(loadSpanStudent(beforeModel)) : undefined;

  return retrainFrame(
    source,
    task,
    { outDir: options.outDir, teacherId: original.teacher.id },
    ({ run, runId, dir, gate }) => {
      const summary = writeExtractOutputs({
        run,
        runId,
        dir,
        task,
        teacher: noTeacher(original.teacher.id, original.teacher.kind),
        gate,
        outcome: {
          student,
          training,
          validation: [],
          rejected: [],
          rounds: [],
          stopReason: 'retrain',
          poolExcluded: 0,
          duplicates: 0,
        },
        gold,
        started,
        ...(human ? { human: { reviewers, unusable: human.unusable.size, file: human.file } } : {}),
      });
      const retrain: NonNullable<ExtractDistillSummary['retrain']> = {
        of: basename(source),
        ...(before ? { before } : {}),
        after: micro(student),
        rows: original.trainingRows,
        human: training.filter((r) => reviewers.has(r.id)).length,
        unusable,
      };
      return { summary, retrain };
    },
  );
}

/** The original run's teacher, named in the report, which a retrain never asks. */
function noTeacher(id: string, kind: ExtractTeacher['kind']): ExtractTeacher {
  return { id, kind, concurrency: 1, extract: async () => refuseTeacherCall() };
}
