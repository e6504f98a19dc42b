import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'hono';
import type { z } from 'zod';
import { createExtractTeacher } from '../../data/extract/extract-teacher.js';
import { isApprenticeError } from '../../errors.js';
import { RUN_FILES } from '../../run/run-files.js';
import { loadSpanStudent } from '../../student/span-registry.js';
import type { SpanStudent } from '../../student/sequence/types.js';
import type { Task } from '../../task/schema.js';
import type { CallGate } from '../../teacher/call-gate.js';
import { textId } from '../../util/hash.js';
import type { runTaskSchema } from './playground.js';

/** Loaded span students by model path, reloaded when the file changes. */
export type SpanStudents = Map<string, { mtime: number; student: SpanStudent }>;

/** The extraction playground's student: each text's spans with type and confidence, and its tokens. */
export function predictSpans(c: Context, dir: string, texts: string[], cache: SpanStudents): Response {
  const path = join(dir, RUN_FILES.student);
  if (!existsSync(path))
    return c.json({ error: 'this run has no student yet (it is saved when the run completes)' }, 404);
  const mtime = statSync(path).mtimeMs;
  let have = cache.get(path);
  if (!have || have.mtime !== mtime) {
    have = { mtime, student: loadSpanStudent(path) };
    cache.set(path, have);
  }
  const student = have.student;
  return c.json({
    kind: 'extract',
    predictions: texts.map((text) => {
      const p = student.predict(text);
      return { text, id: textId(text), spans: p.spans, confidence: p.confidence };
    }),
  });
}

export interface ExtractAnswer {
  text: string;
  /** The teacher's spans placed in the text; null when its answer could not be used. */
  spans: { start: number; end: number; type: string; text: string; status: string }[] | null;
  /** Mentions the teacher gave that could not be placed (not in the text, unknown type). */
  rejectedMentions?: { raw: string; reason: string }[];
  rejected?: string;
  cached: boolean;
  dollars: number;
}

/**
 * The run's extraction teacher on the playground's texts, on the server: one text per request
 * through the gate (the cache answers a text asked before; the caps are the task's less what the
 * playground already paid). The key stays in this process: answers carry spans and costs only.
 */
export async function askExtractTeacher(
  task: z.infer<typeof runTaskSchema>,
  ctx: { gate: CallGate; taskDir: string; texts: string[] },
): Promise<{ answers: ExtractAnswer[]; stopped?: string }> {
  // createExtractTeacher reads the teacher settings, types, instruction and span seeds of a task.
  const teacher = await createExtractTeacher(task as unknown as Task, {
    gate: ctx.gate,
    taskDir: ctx.taskDir,
    seed: task.seed,
  });
  const answers: ExtractAnswer[] = [];
  for (const text of ctx.texts) {
    const seen = ctx.gate.ledger().length;
    try {
      const [r] = await teacher.extract([{ id: textId(text), text }]);
      const calls = ctx.gate.ledger().slice(seen);
      answers.push({
        text,
        spans: r.ok ? r.spans : null,
        ...(r.ok && r.rejected.length > 0
          ? { rejectedMentions: r.rejected.map((m) => ({ raw: m.raw, reason: m.reason })) }
          : {}),
        ...(r.ok ? {} : { rejected: r.reason }),
        cached: calls.length > 0 && calls.every((l) => l.cached),
        dollars: calls.reduce((a, l) => a + l.dollars, 0),
      });
    } catch (err) {
      // A budget cap or a provider failure ends the batch; what was answered is kept and shown.
      if (!isApprenticeError(err)) throw err;
      return { answers, stopped: err.message };
    }
  }
  return { answers };
}
