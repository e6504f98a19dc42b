import type { Task } from '../../task/schema.js';
import { type HumanSpans, readSpanCorrections } from '../../store/corrections.js';

export interface TaskSpanCorrections {
  file: string;
  /** Accepted or edited texts with the reviewer's spans: trained on as `human` rows, never asked. */
  spans: Map<string, HumanSpans>;
  /** Rejected texts: out of training and never asked. */
  unusable: Set<string>;
  /** Corrections not used: the text is an evaluation row, or a span no longer fits (type gone, offsets off). */
  skipped: number;
}

/**
 * The span corrections of an extraction task that distill and retrain can train on (matched by
 * task name, as the studio stores them). A text that is also an evaluation row is left out (it
 * would score the student on its own training data), and so is a correction whose spans no longer
 * fit the task (a type removed) or the text (offsets that do not give the span's text).
 */
export function taskSpanCorrections(file: string, task: Task, evalTexts: ReadonlySet<string>): TaskSpanCorrections {
  const read = readSpanCorrections(file, task.name);
  const types = new Set(task.labels.map((l) => l.name));
  const out: TaskSpanCorrections = { file, spans: new Map(), unusable: new Set(), skipped: 0 };
  for (const [text, h] of read.spans) {
    const fits = h.spans.every((s) => types.has(s.type) && s.start < s.end && text.slice(s.start, s.end) === s.text);
    if (fits && !evalTexts.has(text)) out.spans.set(text, h);
    else out.skipped += 1;
  }
  for (const text of read.unusable) if (!evalTexts.has(text)) out.unusable.add(text);
  return out;
}
