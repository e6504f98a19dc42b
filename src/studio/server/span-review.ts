import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { RUN_FILES } from '../../run/run-files.js';
import type { CorrectedSpan, Correction, CorrectionStore } from '../../store/corrections.js';
import { loadSpanStudent } from '../../student/span-registry.js';
import type { SpanStudent } from '../../student/sequence/types.js';
import { tokenizeWithOffsets } from '../../text/spans/tokenize.js';
import type { TokenOffsets } from '../../text/spans/types.js';
import { textId } from '../../util/hash.js';
import { readJson, runKind } from './runs.js';
import { type SpanRow, spanRows } from './span-rows.js';

/** A training text in the review queue, with the run's student's spans and how sure it was. */
export interface SpanQueueRow {
  idx: number;
  textId: string;
  text: string;
  /** The teacher's spans (or the seed's, or a reviewer's from an earlier run). */
  spans: SpanRow['spans'];
  /** Token boundaries: the page snaps mouse selections to them. */
  tokens: TokenOffsets[];
  source: string;
  round: number;
  teacher: string;
  /** The run's student on this text: its spans with their confidence. */
  predicted: { start: number; end: number; type: string; text: string; confidence: number }[] | null;
  /**
   * How sure the student is about the text: the lower of its whole-tagging probability and its
   * least confident span. The queue is ordered by it, lowest first. Null without a student.
   */
  confidence: number | null;
  /** The student's spans differ from the teacher's. */
  disagree: boolean;
  correction: Correction | null;
}

const spanKey = (s: { start: number; end: number; type: string }) => `${s.start}:${s.end}:${s.type}`;
const sameSpans = (a: readonly { start: number; end: number; type: string }[], b: typeof a) =>
  a.length === b.length && a.map(spanKey).sort().join('|') === b.map(spanKey).sort().join('|');

type Scored = Omit<SpanQueueRow, 'correction'>;
type Queue = { rows: Scored[]; scoredBy: 'student' | null };
const queues = new Map<string, { key: string; queue: Promise<Queue> }>();
/** Texts predicted between yields to the event loop, so other requests are answered meanwhile. */
const CHUNK = 256;

/**
 * The run's training texts in review order: the student's least sure first (ties in file order).
 * The run's own student predicts every text once per training.jsonl and model version, held in
 * memory; the work is done in chunks that yield to the event loop, so a large run (about 6 s for
 * 20,000 texts on the loaded 2-core VM) does not stall the studio's other requests, and concurrent
 * requests share one computation.
 */
export function spanQueue(dir: string): Promise<Queue> {
  const training = join(dir, RUN_FILES.training);
  const model = join(dir, RUN_FILES.student);
  const hasModel = existsSync(model);
  const key = `${statSync(training).mtimeMs}:${hasModel ? statSync(model).mtimeMs : 0}`;
  const hit = queues.get(dir);
  if (hit && hit.key === key) return hit.queue;
  const queue = scoreQueue(dir, hasModel ? model : undefined);
  queues.set(dir, { key, queue });
  // A failure is answered once and not kept: the next request tries again.
  queue.catch(() => queues.delete(dir));
  return queue;
}

async function scoreQueue(dir: string, model: string | undefined): Promise<Queue> {
  const rows = spanRows(dir);
  let student: SpanStudent | undefined;
  try {
    student = model ? loadSpanStudent(model) : undefined;
  } catch {
    // A model this build cannot read: the queue still lists every text, in file order.
    student = undefined;
  }
  const scored: Scored[] = [];
  for (let at = 0; at < rows.length; at += CHUNK) {
    if (at > 0) await new Promise((r) => setImmediate(r));
    const chunk = rows.slice(at, at + CHUNK);
    const predictions = student?.predictBatch(chunk.map((r) => ({ text: r.text, tokens: r.tokens })));
    chunk.forEach((r, i) => {
      const p = predictions?.[i];
      const predicted = p
        ? p.spans.map(({ start, end, type, text, confidence }) => ({ start, end, type, text, confidence }))
        : null;
      const confidence = p ? Math.min(p.confidence, ...p.spans.map((s) => s.confidence)) : null;
      scored.push({
        idx: r.idx,
        textId: textId(r.text),
        text: r.text,
        spans: r.spans,
        tokens: r.tokens ?? p?.tokens ?? tokenizeWithOffsets(r.text),
        source: r.source,
        round: r.round,
        teacher: r.teacher,
        predicted,
        confidence,
        disagree: predicted ? !sameSpans(predicted, r.spans) : false,
      });
    });
  }
  if (student) scored.sort((a, b) => (a.confidence ?? 1) - (b.confidence ?? 1) || a.idx - b.idx);
  return { rows: scored, scoredBy: student ? 'student' : null };
}

const SpanInput = z.object({
  start: z.number().int().min(0),
  end: z.number().int().min(1),
  type: z.string().min(1),
});
const decisionSchema = z.object({
  textId: z.string().min(1),
  decision: z.enum(['accept', 'relabel', 'unusable']),
  spans: z.array(SpanInput).max(500).default([]),
  reviewer: z.string().min(1).max(100),
});

const issues = (e: z.ZodError) => e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');

interface Deps {
  runOr404: (c: Context) => { name: string; dir: string } | Response;
  corrections: CorrectionStore;
  taskOf: (dir: string) => string;
}

/**
 * Review of an extraction run: the queue (`GET /api/runs/<run>/span-review`) and a decision per
 * text (`POST /api/runs/<run>/span-corrections`: accept the spans as shown, `relabel` = the
 * reviewer's edited spans, `unusable` = reject the text), stored in the shared corrections file
 * with the spans; undo is the label review's (`/corrections/undo`). Bad input is a 4xx naming the field.
 */
export function spanReviewRoutes(app: Hono, deps: Deps): void {
  const extractRun = (c: Context) => {
    const run = deps.runOr404(c);
    if (run instanceof Response) return run;
    if (runKind(run.dir) !== 'extract')
      return c.json({ error: `${run.name} is not an extraction run: review its labels at /api/runs/<run>/rows` }, 409);
    if (!existsSync(join(run.dir, RUN_FILES.training)))
      return c.json({ error: 'this run has no training rows yet (they are written when the run completes)' }, 404);
    return run;
  };

  app.get('/api/runs/:run/span-review', async (c) => {
    const run = extractRun(c);
    if (run instanceof Response) return run;
    const q = z
      .object({
        offset: z.coerce.number().int().min(0).default(0),
        limit: z.coerce.number().int().min(1).max(500).default(50),
      })
      .safeParse(c.req.query());
    if (!q.success) return c.json({ error: issues(q.error) }, 400);
    const { rows, scoredBy } = await spanQueue(run.dir);
    const page = rows.slice(q.data.offset, q.data.offset + q.data.limit);
    const decided = deps.corrections.forTexts(
      deps.taskOf(run.dir),
      page.map((r) => r.textId),
    );
    const task = readJson<{ labels: { name: string }[] }>(join(run.dir, RUN_FILES.task));
    return c.json({
      total: rows.length,
      offset: q.data.offset,
      types: task?.labels.map((l) => l.name) ?? [],
      scoredBy,
      rows: page.map((r) => ({ ...r, correction: decided.get(r.textId) ?? null })),
    });
  });

  app.post('/api/runs/:run/span-corrections', async (c) => {
    const run = extractRun(c);
    if (run instanceof Response) return run;
    const json: unknown = await c.req.json().catch(() => undefined);
    if (typeof json !== 'object' || json === null)
      return c.json(
        { error: 'expected a JSON body {"textId", "decision", "spans": [{start, end, type}], "reviewer"}' },
        400,
      );
    const body = decisionSchema.safeParse(json);
    if (!body.success) return c.json({ error: issues(body.error) }, 400);
    const row = (await spanQueue(run.dir)).rows.find((r) => r.textId === body.data.textId);
    if (!row) return c.json({ error: `no training text with id ${body.data.textId} in ${run.name}` }, 404);
    const types = new Set(
      readJson<{ labels: { name: string }[] }>(join(run.dir, RUN_FILES.task))?.labels.map((l) => l.name),
    );
    const spans: CorrectedSpan[] = [];
    if (body.data.decision !== 'unusable') {
      const sorted = [...body.data.spans].sort((a, b) => a.start - b.start);
      for (const [i, s] of sorted.entries()) {
        const at = `spans.${body.data.spans.indexOf(s)}`;
        if (!types.has(s.type))
          return c.json(
            { error: `${at}.type: ${JSON.stringify(s.type)} is not a type of this task (${[...types].join(', ')})` },
            400,
          );
        if (s.end <= s.start || s.end > row.text.length)
          return c.json(
            { error: `${at}: [${s.start}, ${s.end}) is not a range inside the text (length ${row.text.length})` },
            400,
          );
        if (i > 0 && s.start < sorted[i - 1].end)
          return c.json({ error: `${at}: overlaps the span at [${sorted[i - 1].start}, ${sorted[i - 1].end})` }, 400);
        spans.push({ start: s.start, end: s.end, type: s.type, text: row.text.slice(s.start, s.end) });
      }
    }
    const saved = deps.corrections.add({
      task: deps.taskOf(run.dir),
      textId: row.textId,
      text: row.text,
      labels: [],
      decision: body.data.decision,
      reviewer: body.data.reviewer,
      run: run.name,
      ...(body.data.decision === 'unusable' ? {} : { spans }),
    });
    return c.json(saved, 201);
  });
}
