import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../lib/datasets.js';
import { RESULTS_DIR } from '../lib/results.js';
import type { BenchResults } from '../lib/types.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';

/** Where a mode's reports go: a quick run's stay in bench/results, out of the docs. */
export function reportFiles(mode: BenchResults['mode']): { markdown: string; html: string } {
  return mode === 'quick'
    ? { markdown: join(RESULTS_DIR, 'quick-benchmarks.md'), html: join(RESULTS_DIR, 'quick-report.html') }
    : { markdown: join(REPO_ROOT, 'docs', 'benchmarks.md'), html: join(RESULTS_DIR, 'report.html') };
}

export function writeReports(results: BenchResults): string[] {
  const files = reportFiles(results.mode);
  writeFileSync(files.markdown, renderMarkdown(results));
  writeFileSync(files.html, renderHtml(results));
  return [files.markdown, files.html];
}
