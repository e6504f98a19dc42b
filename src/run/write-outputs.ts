import type { Task } from '../task/schema.js';
import type { Teacher } from '../teacher/types.js';
import type { CallGate } from '../teacher/call-gate.js';
import type { RunDir } from './run-dir.js';
import type { DistillSummary } from './types.js';
import type { CostPlan } from '../loop/plan.js';
import type { LoopOutcome } from '../loop/run-loop.js';
import type { Student } from '../student/types.js';
import { saveStudent } from '../student/registry.js';
import { writeReport, trainingBreakdown, teacherMsPerAnswer, trainingDiversity } from '../report/index.js';
import { RUN_FILES, RUN_FORMAT_VERSION, modelCard } from './index.js';
import { REVIEW_FILE } from '../data/label-noise/index.js';
import { statSync } from 'node:fs';
import { writeModelCardMarkdown } from './model-card-md.js';

/** Writes everything a finished loop leaves behind and returns the summary (not yet marked complete). */
export function writeRunOutputs(args: {
  run: RunDir;
  runId: string;
  dir: string;
  task: Task;
  teacher: Teacher;
  gate: CallGate;
  outcome: LoopOutcome;
  started: number;
  plan?: CostPlan;
  /** The corrections read (distill's corrections file), if any. */
  human?: { unusable: ReadonlySet<string>; file: string };
}): DistillSummary {
  const { run, runId, dir, task, teacher, gate, outcome } = args;
  const modelPath = run.path(RUN_FILES.student);
  saveStudent(outcome.student, modelPath);
  const modelBytes = statSync(modelPath).size;
  const totals = gate.totals();
  const used = gate.used();
  const microsPerPrediction = timePredictions(
    outcome.student,
    outcome.validation.rows.map((r) => r.text),
  );

  const summary: DistillSummary = {
    formatVersion: RUN_FORMAT_VERSION,
    runId,
    dir,
    status: 'complete',
    stopReason: outcome.stopReason,
    task: task.name,
    teacher: {
      id: teacher.id,
      kind: teacher.kind,
      answers: used.answers,
      requests: totals.httpRequests,
      cacheHits: totals.cacheHits,
      dollars: totals.dollars,
      dollarsUsed: totals.dollarsUsed,
      inputTokens: totals.inputTokens,
      outputTokens: totals.outputTokens,
      rejected: outcome.set.rejected.length,
    },
    student: { kind: outcome.student.kind, modelBytes, microsPerPrediction },
    final: { ...outcome.final, split: outcome.validation.split },
    rounds: outcome.rounds,
    trainingRows: outcome.set.examples.length,
    poolExcludedAsLeakage: outcome.poolExcluded,
    ...(args.plan ? { plan: args.plan } : {}),
    ...(args.human
      ? {
          human: {
            rows: outcome.set.examples.filter((e) => e.source === 'human').length,
            unusable: args.human.unusable.size,
            file: args.human.file,
          },
        }
      : {}),
    data: trainingDiversity(outcome.set.examples, { labels: task.labels.map((l) => l.name) }),
    ms: Math.round(performance.now() - args.started),
  };

  run.writeJson(RUN_FILES.card, modelCard(task, outcome.student.kind, summary.final));
  writeModelCardMarkdown(run, { summary, task, examples: outcome.set.examples, ledger: gate.ledger() });
  run.writeJsonl(RUN_FILES.training, outcome.set.examples);
  run.writeJsonl(RUN_FILES.rejected, outcome.set.rejected);
  run.writeJson(RUN_FILES.metrics, { rounds: outcome.rounds, final: summary.final });
  if (task.data.labelNoise === 'review') run.writeJsonl(REVIEW_FILE, outcome.review);
  run.writeJson(RUN_FILES.summary, summary);

  writeReport(run, {
    summary,
    examplesWrong: wrongExamples(outcome),
    training: trainingBreakdown(outcome.set.examples),
    teacherKind: teacher.kind,
    teacherId: teacher.id,
    ledger: totals,
    studentMicrosPerPrediction: microsPerPrediction,
    teacherMsPerAnswer: teacherMsPerAnswer(gate.ledger(), teacher.kind),
    checks: {
      labelNoise: task.data.labelNoise,
      leakageGuard: task.data.leakageGuard,
      skillProfile: task.data.skillProfile,
      skillSteer: task.data.skillSteer,
      bandit: task.data.bandit,
      closedLoop: task.loop.strategy === 'closed-loop',
    },
  });
  return summary;
}

function wrongExamples(outcome: LoopOutcome, limit = 50) {
  const out: { text: string; gold: string[]; predicted: string[]; confidence: number }[] = [];
  for (const row of outcome.validation.rows) {
    if (out.length >= limit) break;
    const p = outcome.student.predict(row.text);
    if (p.labels.slice().sort().join('\u0000') !== row.labels.slice().sort().join('\u0000')) {
      const idx = p.labels.map((l) => outcome.student.labels.indexOf(l));
      const confidence = idx.length > 0 ? Math.max(...idx.map((i) => p.probs[i])) : 0;
      out.push({ text: row.text, gold: row.labels, predicted: p.labels, confidence });
    }
  }
  return out;
}

/** Mean µs per text over repeated passes on real texts, after a warm-up (the report's student-vs-teacher timing). */
function timePredictions(student: Student, texts: readonly string[]): number {
  const sample = texts.slice(0, 500);
  if (sample.length === 0) return 0;
  for (const t of sample.slice(0, 50)) student.predict(t);
  const t0 = performance.now();
  let reps = 0;
  do {
    for (const t of sample) student.predict(t);
    reps += 1;
  } while (performance.now() - t0 < 200 && reps < 50);
  return ((performance.now() - t0) * 1000) / (reps * sample.length);
}
