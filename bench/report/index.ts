import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../lib/datasets.js';
import { RESULTS_DIR } from '../lib/results.js';
import type { BenchResults } from '../lib/types.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';

export function writeReports(results: BenchResults): void {
  writeFileSync(join(REPO_ROOT, 'docs', 'benchmarks.md'), renderMarkdown(results));
  writeFileSync(join(RESULTS_DIR, 'report.html'), renderHtml(results));
}
