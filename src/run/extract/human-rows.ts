import type { GoldText, PoolText } from '../../loop/extract/types.js';
import type { Task } from '../../task/schema.js';
import { textId } from '../../util/hash.js';
import { taskSpanCorrections } from './human-spans.js';

export interface HumanSpanRows {
  /** The task the loop runs: the reviewed texts added to its span seeds. */
  task: Task;
  /** The pool without reviewed and rejected texts, so the teacher is never asked about them. */
  pool: PoolText[];
  /** For the outputs: the reviewer of each human row (by text id), texts rejected by reviewers, the file. */
  used?: { reviewers: Map<string, string>; unusable: number; file: string };
}

/**
 * How `distill` of an extraction task takes in reviewers' span corrections without a loop of its
 * own: a reviewed text becomes a span seed (the loop trains on seeds from round 0 and never asks
 * the teacher about a seed's text), written back as source `human` with the reviewer; a rejected
 * text leaves the pool. The teacher's prompt keeps the task's own seeds (the caller builds the
 * teacher from the original task), so cached answers stay valid.
 */
export function withHumanSpans(
  task: Task,
  pool: PoolText[],
  gold: readonly GoldText[] | undefined,
  correctionsFile: string | undefined,
): HumanSpanRows {
  if (!correctionsFile) return { task, pool };
  const c = taskSpanCorrections(correctionsFile, task, new Set((gold ?? []).map((g) => g.text)));
  const own = new Set((task.spanSeeds ?? []).map((s) => s.text));
  const added = [...c.spans].filter(([text]) => !own.has(text));
  const reviewers = new Map(added.map(([text, h]) => [textId(text), h.reviewer]));
  const drop = new Set([...c.spans.keys(), ...c.unusable]);
  const kept = drop.size > 0 ? pool.filter((p) => !drop.has(p.text)) : pool;
  return {
    task: {
      ...task,
      spanSeeds: [
        ...(task.spanSeeds ?? []),
        ...added.map(([text, h]) => ({ text, spans: h.spans.map((s) => ({ ...s })) })),
      ],
    },
    pool: kept,
    ...(c.spans.size > 0 || c.unusable.size > 0
      ? { used: { reviewers, unusable: c.unusable.size, file: c.file } }
      : {}),
  };
}
