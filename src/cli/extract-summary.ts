import path from 'node:path';
import type { ExtractDistillSummary } from '../report/extract/types.js';
import { RUN_FILES } from '../run/run-files.js';
import { displayPath } from './display-path.js';
import { reportPath } from './summary.js';

/** The human end-of-run summary of an extraction run; every number in it is also in `--json`. */
export function renderExtractSummary(s: ExtractDistillSummary, cwd: string): string {
  const rel = (p: string) => displayPath(cwd, p);
  const t = s.teacher;
  const report = reportPath(s.dir);
  const worst = Object.entries(s.perType)
    .sort((a, b) => a[1].f1 - b[1].f1)
    .slice(0, 3)
    .map(([type, v]) => `${type} ${v.f1.toFixed(2)}`)
    .join(', ');
  const lines = [
    '',
    `${s.status === 'complete' ? 'Done' : 'Failed'}: ${s.task} (extraction), stopped: ${s.stopReason} (${s.curve.length} round${s.curve.length === 1 ? '' : 's'}, ${(s.ms / 1000).toFixed(1)} s)`,
    `  span F1       ${s.f1.toFixed(3)}   (precision ${s.precision.toFixed(3)}, recall ${s.recall.toFixed(3)}; ${s.final.split}, n=${s.final.n} texts)`,
    `  partial F1    ${s.partialF1.toFixed(3)}`,
    `  weakest types ${worst || '-'}`,
    `  answers       ${t.answers}   (texts annotated by ${t.id}${t.kind === 'dataset' ? ', a labeled file' : ''})`,
    `  dollars       $${t.dollars.toFixed(4)} paid this run`,
    `  training rows ${s.trainingRows}${t.rejected > 0 ? `   (${t.rejected} teacher answers rejected)` : ''}`,
    `  student       ${s.student.kind}, ${(s.student.modelBytes / 1024).toFixed(1)} KiB, ${s.student.microsPerPrediction.toFixed(1)} µs/text`,
    `  run directory ${rel(s.dir)}`,
  ];
  if (report) lines.push(`  report        ${rel(report)}`);
  lines.push(`  model         ${rel(path.join(s.dir, RUN_FILES.student))}`);
  return `${lines.join('\n')}\n`;
}
