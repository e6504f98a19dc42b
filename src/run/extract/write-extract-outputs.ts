import { statSync } from 'node:fs';
import { REVIEW_FILE } from '../../data/label-noise/repair.js';
import type { ExtractLoopOutcome, GoldText } from '../../loop/extract/types.js';
import { scoreStudent } from '../../loop/extract/evaluate.js';
import { typeConfusion } from '../../metrics/span-confusion.js';
import { renderExtractReport } from '../../report/extract/render-extract.js';
import type { AlignmentCounts, ExtractDistillSummary, ExtractExample } from '../../report/extract/types.js';
import { REPORT_FILE } from '../../report/write-report.js';
import type { SpanStudent } from '../../student/sequence/types.js';
import type { Task } from '../../task/schema.js';
import type { CallGate } from '../../teacher/call-gate.js';
import type { ExtractTeacher } from '../../teacher/extract/types.js';
import type { RunDir } from '../run-dir.js';
import { RUN_FILES, RUN_FORMAT_VERSION } from '../run-files.js';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const EXAMPLES = 12;

/**
 * Everything a finished extraction loop leaves in the run directory: the model, training.jsonl
 * (one row per annotated text: spans with their alignment status, tokens, source, round, the
 * student's uncertainty when it picked it, the teacher), rejected.jsonl (unusable answers and
 * rejected mentions), metrics.json, the model card, summary.json and report.html.
 */
export function writeExtractOutputs(args: {
  run: RunDir;
  runId: string;
  dir: string;
  task: Task;
  teacher: ExtractTeacher;
  gate: CallGate;
  outcome: ExtractLoopOutcome;
  gold?: GoldText[];
  started: number;
  /**
   * Reviewers' corrections used: rows whose id is in `reviewers` are written with source `human`
   * and the reviewer (the loop took them in as seeds); counted in summary.json `human`.
   */
  human?: { reviewers: ReadonlyMap<string, string>; unusable: number; file: string };
}): ExtractDistillSummary {
  const { run, runId, dir, task, teacher, gate, outcome } = args;
  const types = task.labels.map((l) => l.name);
  const modelPath = run.path(RUN_FILES.student);
  saveAtomically(outcome.student, modelPath);
  const modelBytes = statSync(modelPath).size;
  const split: 'gold' | 'validation' = args.gold ? 'gold' : 'validation';
  const finalRows = args.gold ?? outcome.validation;
  const scored = scoreStudent(outcome.student, finalRows, types);
  const m = scored.metrics;
  const totals = gate.totals();
  const used = gate.used();
  const alignment = alignmentCounts(outcome);

  const summary: ExtractDistillSummary = {
    kind: 'extract',
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
      rejected: outcome.rejected.length,
    },
    student: {
      kind: outcome.student.kind,
      modelBytes,
      microsPerPrediction: timePredictions(outcome.student, finalRows),
    },
    precision: m.micro.precision,
    recall: m.micro.recall,
    f1: m.micro.f1,
    partialF1: m.partial.f1,
    macroF1: m.macroF1,
    perType: m.perType,
    final: { split, n: finalRows.length },
    curve: outcome.rounds.map((r) => ({
      round: r.round,
      arm: r.arm,
      trainSize: r.trainSize,
      answers: r.answers,
      dollars: r.dollars,
      validationF1: r.validation.f1,
      ...(r.gold ? { goldF1: r.gold.f1 } : {}),
      trainMs: r.trainMs,
      ...(r.arms ? { arms: r.arms } : {}),
    })),
    trainingRows: outcome.training.length,
    // As training.jsonl writes them: a reviewer's row (a seed to the loop) counts as `human`.
    rowsBySource: countBy(outcome.training.map((r) => (args.human?.reviewers.has(r.id) ? 'human' : r.source))),
    rowsByArm: countBy(outcome.training.flatMap((r) => (r.arm === undefined ? [] : [r.arm]))),
    filtered: countBy(outcome.rejected.flatMap((r) => (r.filter ? [r.filter] : []))),
    validationRows: outcome.validation.length,
    poolExcludedAsLeakage: outcome.poolExcluded,
    alignment,
    ...(args.human
      ? {
          human: {
            rows: outcome.training.filter((r) => args.human!.reviewers.has(r.id)).length,
            unusable: args.human.unusable,
            file: args.human.file,
          },
        }
      : {}),
    ...(outcome.filters
      ? {
          filters: {
            settings: outcome.filters.settings,
            totals: outcome.filters.totals,
            rounds: outcome.filters.rounds,
            reviewRows: outcome.filters.review.length,
          },
        }
      : {}),
    ms: Math.round(performance.now() - args.started),
  };

  const teacherId = teacher.id;
  const reviewer = (id: string) => args.human?.reviewers.get(id);
  run.writeJsonl(
    RUN_FILES.training,
    outcome.training.map((r) => ({
      text: r.text,
      spans: r.spans,
      ...(r.tokens ? { tokens: r.tokens } : {}),
      ...(reviewer(r.id) !== undefined
        ? { source: 'human', round: r.round, teacher: 'human', reviewer: reviewer(r.id) }
        : { source: r.source, round: r.round, teacher: r.source === 'seed' ? 'seed' : teacherId }),
      ...(r.uncertainty !== undefined ? { uncertainty: r.uncertainty } : {}),
      ...(r.arm !== undefined ? { arm: r.arm } : {}),
      ...(r.guidance ? { guidance: r.guidance } : {}),
      ...(r.rejected.length > 0 ? { rejectedMentions: r.rejected } : {}),
    })),
  );
  run.writeJsonl(RUN_FILES.rejected, [
    ...outcome.rejected.map((r) => ({ kind: r.filter ? 'filtered' : 'answer', ...r })),
    ...[...outcome.training, ...outcome.validation].flatMap((r) =>
      r.rejected.map((x) => ({ kind: 'mention', id: r.id, text: r.text, round: r.round, ...x })),
    ),
  ]);
  // `labelNoise: review`: the rows the out-of-fold students doubted, for a person (as classification's review.jsonl).
  if (outcome.filters && outcome.filters.review.length > 0) run.writeJsonl(REVIEW_FILE, outcome.filters.review);
  run.writeJsonl(
    'validation.jsonl',
    outcome.validation.map((r) => ({ text: r.text, spans: r.spans })),
  );
  run.writeJson(RUN_FILES.metrics, {
    kind: 'extract',
    rounds: outcome.rounds,
    final: { split, n: finalRows.length, ...m },
  });
  run.writeJson(RUN_FILES.card, {
    task: task.name,
    kind: 'extract',
    types: task.labels,
    student: { kind: outcome.student.kind },
    metrics: { split, n: finalRows.length, precision: m.micro.precision, recall: m.micro.recall, f1: m.micro.f1 },
    created: new Date().toISOString(),
  });
  run.writeText(
    RUN_FILES.modelCardMd,
    `# ${task.name}\n\nExtraction model (${outcome.student.kind}) for: ${task.labels.map((l) => l.name).join(', ')}.\n\n` +
      `${task.instruction}\n\nSpan F1 ${m.micro.f1.toFixed(3)} (precision ${m.micro.precision.toFixed(3)}, recall ${m.micro.recall.toFixed(3)}) ` +
      `on the ${split} set (${finalRows.length} texts), trained on ${outcome.training.length} texts annotated by ${teacherId}.\n`,
  );
  run.writeJson(RUN_FILES.summary, summary);
  run.writeText(
    REPORT_FILE,
    renderExtractReport({
      summary,
      confusion: typeConfusion(
        finalRows.map((r) => r.spans),
        scored.predicted,
        types,
      ),
      examples: examples(finalRows, scored.predicted),
    }),
  );
  return summary;
}

function alignmentCounts(outcome: ExtractLoopOutcome): AlignmentCounts {
  const spans: Record<string, number> = {};
  let rejectedMentions = 0;
  for (const r of [...outcome.training, ...outcome.validation]) {
    for (const s of r.spans) spans[s.status] = (spans[s.status] ?? 0) + 1;
    rejectedMentions += r.rejected.length;
  }
  return { spans, rejectedMentions, rejectedAnswers: outcome.rejected.filter((r) => !r.filter).length };
}

function examples(rows: readonly GoldText[], predicted: readonly ExtractExample['predicted'][]): ExtractExample[] {
  const key = (s: { start: number; end: number; type: string }) => `${s.start}:${s.end}:${s.type}`;
  const out: ExtractExample[] = [];
  rows.forEach((r, i) => {
    if (out.length >= EXAMPLES) return;
    const g = r.spans.map(key).sort().join('|');
    const p = predicted[i].map(key).sort().join('|');
    if (g !== p) out.push({ text: r.text, gold: r.spans, predicted: predicted[i] });
  });
  return out;
}

function countBy(keys: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = (out[k] ?? 0) + 1;
  return out;
}

/** Mean µs per text over real texts, after a warm-up. */
function timePredictions(student: SpanStudent, rows: readonly GoldText[]): number {
  const sample = rows.slice(0, 300);
  if (sample.length === 0) return 0;
  for (const r of sample.slice(0, 30)) student.predict(r.text, r.tokens);
  const t0 = performance.now();
  for (const r of sample) student.predict(r.text, r.tokens);
  return ((performance.now() - t0) * 1000) / sample.length;
}

/** Temp file then rename, so a crash never leaves half a model. */
function saveAtomically(student: SpanStudent, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, student.toBytes());
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
