import { join } from 'node:path';
import { writeFileAtomic } from '../run/atomic.js';
import { redact } from '../run/redact.js';
import { RUN_FILES } from '../run/run-files.js';
import { renderReport } from './render.js';
import type { ReportData } from './types.js';

/** Renders the report into `<dir>/report.html` (atomically, secrets scrubbed) and returns its path. */
export function writeReport(dir: string, data: ReportData): string {
  const path = join(dir, RUN_FILES.report);
  writeFileAtomic(path, redact(renderReport(data)));
  return path;
}
