import type { LedgerEntry } from '../store/types.js';
import type { DistillSummary } from './types.js';
import type { Task } from '../task/schema.js';
import { RUN_FILES } from './run-files.js';
import { cell, dollars, pct, provenance, SOURCE_MEANING } from './provenance.js';
import type { Provenance as RowProvenance } from '../data/example.js';

/** model/MODEL_CARD.md, next to student.bin and card.json. */
export const MODEL_CARD_MD = RUN_FILES.modelCardMd;

export interface ModelCardInput {
  summary: DistillSummary;
  task: Pick<Task, 'name' | 'instruction' | 'multiLabel' | 'labels'>;
  examples: readonly (Pick<RowProvenance, 'source' | 'round' | 'teacher'> & { labels: readonly string[] })[];
  /** The run's ledger: the teacher's measured latency per answer comes from its paid requests. */
  ledger: readonly LedgerEntry[];
  created?: Date;
}

/** Where the run writes it: the run directory's `writeText` (redacts secrets, writes atomically). */
export function writeModelCardMarkdown(run: { writeText(name: string, text: string): void }, input: ModelCardInput) {
  run.writeText(MODEL_CARD_MD, modelCardMarkdown(input));
}

/** Milliseconds per answer over requests that went to the teacher (cached answers cost no time). */
function teacherMsPerAnswer(ledger: readonly LedgerEntry[]): number | undefined {
  let ms = 0;
  let answers = 0;
  for (const e of ledger) {
    if (e.cached || e.httpRequests === 0) continue;
    ms += e.ms;
    answers += e.answers;
  }
  return answers > 0 ? ms / answers : undefined;
}

function duration(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

export function modelCardMarkdown({ summary, task, examples, ledger, created = new Date() }: ModelCardInput): string {
  const f = summary.final;
  const t = summary.teacher;
  const p = provenance(examples);
  const perLabel = new Map(f.perLabel.map((r) => [r.label, r]));
  const labelRows = task.labels.map((l) => {
    const m = perLabel.get(l.name);
    const scores = m
      ? `${m.precision.toFixed(3)} | ${m.recall.toFixed(3)} | ${m.f1.toFixed(3)} | ${m.support}`
      : '– | – | – | 0';
    return `| ${cell(l.name)} | ${scores} | ${p.byLabel[l.name] ?? 0} | ${cell(l.description ?? '')} |`;
  });
  const sourceRows = Object.entries(p.bySource).map(
    ([s, n]) => `| ${s} | ${n} | ${pct(n, p.rows)} | ${SOURCE_MEANING[s] ?? ''} |`,
  );
  const studentMs = summary.student.microsPerPrediction / 1000;
  const teacherMs = t.kind === 'llm' ? teacherMsPerAnswer(ledger) : undefined;
  const perAnswer = t.answers > 0 && t.kind === 'llm' ? t.dollars / t.answers : undefined;
  const teacherLatency =
    t.kind === 'dataset'
      ? 'n/a (labels read from a file)'
      : teacherMs === undefined
        ? 'not measured (all answers cached)'
        : duration(teacherMs);
  const teacherPer1k = teacherMs === undefined ? '–' : duration(teacherMs * 1000);
  const teacherCost =
    t.kind === 'dataset'
      ? 'n/a'
      : perAnswer === undefined
        ? 'unknown'
        : t.dollars === 0 && t.requests > 0
          ? '$0 (no price known for this model)'
          : dollars(perAnswer * 1000);
  const metricLine = `accuracy ${f.accuracy.toFixed(3)}, macro-F1 ${f.macroF1.toFixed(3)}${f.microF1 !== undefined ? `, micro-F1 ${f.microF1.toFixed(3)}` : ''} on ${f.n} ${f.split} texts`;
  return `# ${task.name}: student model card

A \`${summary.student.kind}\` text classifier distilled by Apprentice from the teacher \`${t.id}\`
in run \`${summary.runId}\` (${created.toISOString().slice(0, 10)}). File: \`student.bin\`, ${(summary.student.modelBytes / 1024).toFixed(1)} KiB.

**Task.** ${task.instruction.trim().replace(/\s*\n\s*/g, ' ')}

**Output.** ${task.multiLabel ? 'Any number of the labels below (multi-label), each with a calibrated probability.' : 'Exactly one of the labels below, with a calibrated probability per label.'}

**Quality.** ${metricLine}${f.split === 'validation' ? ' (a held-out share of the teacher-labeled rows: it measures agreement with the teacher, not with people; evaluate on a gold set of your own)' : ' (the gold file named in the task)'}.

## Labels

| label | precision | recall | F1 | support | training rows | description |
|---|---:|---:|---:|---:|---:|---|
${labelRows.join('\n')}

## Training data

${p.rows} rows, labeled by the teacher unless marked \`seed\`:

| source | rows | share | meaning |
|---|---:|---:|---|
${sourceRows.join('\n')}

Rows by round: ${Object.entries(p.byRound)
    .map(([r, n]) => `round ${r}: ${n}`)
    .join(', ')}. Teacher answers rejected as unusable: ${t.rejected}. Stopped because: ${summary.stopReason}.

## Teacher and spend

- Teacher: \`${t.id}\` (${t.kind})
- Answers: ${t.answers} (${t.requests} HTTP requests, ${t.cacheHits} cache hits, ${t.inputTokens} input and ${t.outputTokens} output tokens)
- Dollars: ${dollars(t.dollars)} charged${t.dollarsUsed !== t.dollars ? `, ${dollars(t.dollarsUsed)} for answers the run used` : ''}

## Student next to the teacher

| | per prediction | per 1,000 predictions | cost per 1,000 |
|---|---:|---:|---:|
| student (\`${summary.student.kind}\`, one CPU core) | ${duration(studentMs)} | ${duration(studentMs * 1000)} | $0 in API fees (your CPU) |
| teacher (\`${t.id}\`) | ${teacherLatency} | ${teacherPer1k} | ${teacherCost} |

Student latency: mean over the validation texts, measured after training on this machine. Teacher
latency and price: from the run's ledger (requests actually sent; a batched request's time is
shared by its answers).

## Intended use

Labeling texts like the ones it was trained on, for this task, where a fast, cheap, private
decision is worth more than the teacher's last points of accuracy: routing, triage, tagging,
filtering, and pre-labeling for review. Use the probabilities: send low-confidence texts to a
person or to the teacher.

## Limits

- It learned the teacher's labels, mistakes included; it is rarely better than the teacher.
- Word and character n-gram features: it cannot follow long-range meaning, negation or sarcasm
  the way a language model does, and texts unlike the training data (other topics, languages or
  registers) get confident-looking but unreliable answers.
${task.multiLabel ? '- Multi-label thresholds were fitted on a small held-out share; recheck them on your own data.' : '- Single-label: it always answers one of the labels, even for a text that fits none.'}
- Its quality figures hold for data like its evaluation set; measure again on your traffic.

## Use it

- CLI: \`apprentice predict model/ --input texts.jsonl\`
- Node: \`import { loadStudent } from 'apprentice'; loadStudent('model/student.bin').predict(text)\`
- Browser, worker or edge: \`apprentice export runtime model/ --out site/\` (no dependencies, same probabilities)
`;
}
