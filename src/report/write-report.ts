import { join } from 'node:path';
import { writeFileAtomic } from '../run/atomic.js';
import { redact } from '../run/redact.js';
import { RUN_FILES } from '../run/run-files.js';
import { renderReport } from './render.js';
import type { ReportData } from './types.js';

/** A run directory (RunDir) writes the report itself: it holds it back until the run is complete. */
export interface ReportSink {
  writeText(name: string, text: string): void;
  path(name: string): string;
}

/** Renders the report into `<dir>/report.html` (atomically, secrets scrubbed) and returns its path. */
export function writeReport(target: string | ReportSink, data: ReportData): string {
  if (typeof target !== 'string') {
    target.writeText(RUN_FILES.report, renderReport(data));
    return target.path(RUN_FILES.report);
  }
  const path = join(target, RUN_FILES.report);
  writeFileAtomic(path, redact(renderReport(data)));
  return path;
}
