import { dirname, join, resolve } from 'node:path';
import type { Task } from '../task/schema.js';
import { CORRECTIONS_FILE, type HumanCorrections, readCorrections } from '../store/corrections.js';

/**
 * Where distill reads reviewers' corrections: `false` turns them off, a path names the file,
 * undefined means the studio's file beside the run directory (`<runs>/.studio/corrections.sqlite`,
 * where `apprentice studio --runs <runs>` writes them).
 */
export function correctionsFileFor(outDir: string, option: string | false | undefined): string | undefined {
  if (option === false) return undefined;
  return option !== undefined ? resolve(option) : join(dirname(resolve(outDir)), CORRECTIONS_FILE);
}

export interface TaskCorrections extends HumanCorrections {
  file: string;
  /** Corrections not used: their text is an evaluation row, or their labels are no longer the task's. */
  skipped: number;
}

/**
 * The corrections of this task (matched by task name, as the studio stores them) that distill can
 * train on: a text that is also an evaluation row is left out (training on it would score the
 * student on its own training data), and so is a label the task no longer has.
 */
export function taskCorrections(file: string, task: Task, evalTexts: ReadonlySet<string>): TaskCorrections {
  const read = readCorrections(file, task.name);
  const names = new Set(task.labels.map((l) => l.name));
  const out: TaskCorrections = { file, labels: new Map(), unusable: new Set(), skipped: 0 };
  for (const [text, h] of read.labels) {
    const fits = h.labels.every((l) => names.has(l)) && (task.multiLabel || h.labels.length === 1);
    if (fits && !evalTexts.has(text)) out.labels.set(text, h);
    else out.skipped += 1;
  }
  for (const text of read.unusable) if (!evalTexts.has(text)) out.unusable.add(text);
  return out;
}
