import path from 'node:path';
import { existsSync } from 'node:fs';
import type { DistillSummary } from '../run/types.js';
import type { StopReason } from '../events.js';
import { RUN_FILES } from '../run/run-files.js';
import { displayPath } from './display-path.js';

const STOP_REASONS: Record<StopReason, string> = {
  budget: 'the teacher budget is spent',
  plateau: 'macro-F1 stopped improving',
  'max-rounds': 'the round limit was reached',
  'pool-exhausted': 'every pool input is labeled',
  error: 'an error stopped the run',
  retrain: "retrained from a run's rows with reviewers' corrections",
};

export function reportPath(dir: string): string | undefined {
  const p = path.join(dir, RUN_FILES.report);
  return existsSync(p) ? p : undefined;
}

/** The human end-of-run summary; every number in it is also in `--json`. */
export function renderDistillSummary(s: DistillSummary, cwd: string): string {
  const rel = (p: string) => displayPath(cwd, p);
  const t = s.teacher;
  const report = reportPath(s.dir);
  const lines = [
    '',
    `${s.status === 'complete' ? 'Done' : 'Failed'}: ${s.task}, stopped because ${STOP_REASONS[s.stopReason] ?? s.stopReason} (${s.rounds.length} round${s.rounds.length === 1 ? '' : 's'}, ${(s.ms / 1000).toFixed(1)} s)`,
    `  accuracy      ${s.final.accuracy.toFixed(3)}   (${s.final.split}, n=${s.final.n})`,
    `  macro-F1      ${s.final.macroF1.toFixed(3)}`,
  ];
  if (s.final.microF1 !== undefined) lines.push(`  micro-F1      ${s.final.microF1.toFixed(3)}`);
  lines.push(
    `  answers       ${t.answers}   (from ${t.id}${t.kind === 'dataset' ? ', a labeled file' : ''})`,
    `  requests      ${t.requests} http, ${t.cacheHits} cache hits`,
    `  dollars       $${t.dollars.toFixed(4)} paid this run ($${t.dollarsUsed.toFixed(4)} worth of answers used)`,
    `  training rows ${s.trainingRows}${t.rejected > 0 ? `   (${t.rejected} teacher answers rejected)` : ''}${s.human?.rows ? `   (${s.human.rows} labeled by reviewers, not paid for)` : ''}`,
    `  student       ${s.student.kind}, ${formatBytes(s.student.modelBytes)}, ${s.student.microsPerPrediction.toFixed(1)} µs/prediction`,
    `  run directory ${rel(s.dir)}`,
  );
  if (report) lines.push(`  report        ${rel(report)}`);
  const model = rel(path.join(s.dir, path.dirname(RUN_FILES.student)));
  lines.push(`  model         ${model}   (try: apprentice predict ${model} --input texts.txt)`);
  return `${lines.join('\n')}\n`;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
