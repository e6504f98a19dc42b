import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic.js';
import { redact } from '../util/redact.js';
import { renderReport } from './render.js';
import type { ReportData } from './types.js';

/** The report's file name inside a run directory (run/run-files.ts lists it with the others). */
export const REPORT_FILE = 'report.html';

/** A run directory (RunDir) writes the report itself: it holds it back until the run is complete. */
export interface ReportSink {
  writeText(name: string, text: string): void;
  path(name: string): string;
}

/** Renders the report into `<dir>/report.html` (atomically, secrets scrubbed) and returns its path. */
export function writeReport(target: string | ReportSink, data: ReportData): string {
  if (typeof target !== 'string') {
    target.writeText(REPORT_FILE, renderReport(data));
    return target.path(REPORT_FILE);
  }
  const path = join(target, REPORT_FILE);
  writeFileAtomic(path, redact(renderReport(data)));
  return path;
}
