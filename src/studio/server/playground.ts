import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { isApprenticeError } from '../../errors.js';
import { RUN_FILES } from '../../run/run-files.js';
import { openStore } from '../../store/index.js';
import type { Store } from '../../store/types.js';
import { topContributions } from '../../student/hashed-linear/index.js';
import { loadStudent } from '../../student/registry.js';
import type { Student } from '../../student/types.js';
import { BudgetSchema, type Budget, TeacherSettingsSchema } from '../../task/schema.js';
import { CallGate } from '../../teacher/call-gate.js';
import { runPrice } from '../../teacher/pricing.js';
import { createTeacher } from '../../teacher/registry.js';
import { textId } from '../../util/hash.js';
import { askExtractTeacher, predictSpans, type SpanStudents } from './span-playground.js';
import { runKind } from './runs.js';

/** Labels whose contributions a prediction carries: the likeliest few, as the page shows them. */
const EXPLAINED_LABELS = 3;
/** Strongest n-grams per direction and label. */
const TOP_FEATURES = 8;

const textsSchema = z.object({ texts: z.array(z.string().max(10_000)).min(1).max(100) });
/** Each teacher question is paid for: fewer texts per click than the student answers. */
const askSchema = z.object({ texts: z.array(z.string().min(1).max(10_000)).min(1).max(20) });

/** The part of a run's task.json the playground's teacher needs. */
export const runTaskSchema = z.object({
  name: z.string(),
  instruction: z.string().default(''),
  labels: z.array(z.object({ name: z.string(), description: z.string().optional() })).min(1),
  multiLabel: z.boolean().default(false),
  seeds: z.array(z.object({ text: z.string(), labels: z.array(z.string()) })).default([]),
  teacher: TeacherSettingsSchema,
  budget: BudgetSchema.default({}),
  seed: z.number().int().default(42),
  file: z.string().optional(),
  kind: z.enum(['classify', 'extract']).optional(),
  spanSeeds: z
    .array(
      z.object({
        text: z.string(),
        spans: z.array(z.object({ start: z.number(), end: z.number(), type: z.string(), text: z.string() })),
      }),
    )
    .optional(),
});

/** The ledger the playground's teacher answers are written under, one per run. */
export const playgroundRunId = (run: string) => `studio-playground:${run}`;

interface Deps {
  /** The run's directory, or a 404 answer. */
  runOr404: (c: Context) => { name: string; dir: string } | Response;
  /** The teacher cache and ledger (the one runs started from the studio use). */
  cachePath: string;
}

/**
 * The playground's two endpoints: the student's labels with the n-grams behind them, and the
 * teacher's answer beside it. The teacher runs here, on the server, through the same cache and
 * budget machinery as a run (its key is read from this process's environment and never sent on);
 * the page only sees labels and costs.
 */
export function playgroundRoutes(app: Hono, deps: Deps): { close(): void } {
  let store: Store | undefined;
  const spanStudents: SpanStudents = new Map();
  const students = new Map<string, { mtime: number; student: Student }>();
  const studentOf = (dir: string): Student | undefined => {
    const path = join(dir, RUN_FILES.student);
    if (!existsSync(path)) return undefined;
    const mtime = statMtime(path);
    const have = students.get(path);
    if (have && have.mtime === mtime) return have.student;
    const student = loadStudent(path);
    students.set(path, { mtime, student });
    return student;
  };

  app.post('/api/runs/:run/predict', async (c) => {
    const run = deps.runOr404(c);
    if (run instanceof Response) return run;
    const body = textsSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) return c.json({ error: 'expected {"texts": ["..."]} (1 to 100 texts)' }, 400);
    if (runKind(run.dir) === 'extract') return predictSpans(c, run.dir, body.data.texts, spanStudents);
    const student = studentOf(run.dir);
    if (!student) return c.json({ error: 'this run has no student yet (it is saved when the run completes)' }, 404);
    return c.json({
      predictions: body.data.texts.map((text) => {
        const p = student.predict(text);
        const probs = student.labels.map((label, i) => ({ label, p: p.probs[i] })).sort((a, b) => b.p - a.p);
        const e = student.explain?.(text);
        return {
          text,
          id: textId(text),
          labels: p.labels,
          margin: p.margin,
          probs,
          // Per likely label: logit = bias + Σ contributions; the strongest n-grams each way.
          explain: e
            ? probs.slice(0, EXPLAINED_LABELS).map(({ label }) => {
                const k = e.labels.indexOf(label);
                return {
                  label,
                  logit: e.logits[k],
                  bias: e.bias[k],
                  features: e.features.length,
                  ...topContributions(e, k, TOP_FEATURES),
                };
              })
            : null,
        };
      }),
    });
  });

  app.post('/api/runs/:run/teacher', async (c) => {
    const run = deps.runOr404(c);
    if (run instanceof Response) return run;
    const body = askSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) return c.json({ error: 'expected {"texts": ["..."]} (1 to 20 non-empty texts)' }, 400);
    const parsed = runTaskSchema.safeParse(readJsonOrUndefined(join(run.dir, RUN_FILES.task)));
    if (!parsed.success)
      return c.json(
        { error: `${run.name} has no readable task.json with its teacher, so there is no one to ask` },
        404,
      );
    const task = parsed.data;
    store ??= openStore(deps.cachePath);
    const runId = playgroundRunId(run.name);
    const before = store.ledger(runId);
    const spent = paidSoFar(before);
    const budget = remainingBudget(task.budget, spent);
    if (!budget)
      return c.json(
        {
          error: `the playground has spent this run's teacher budget (${describeBudget(task.budget)})`,
          hint: 'raise the budget in the task file and run again to ask the teacher more here',
          spent,
        },
        402,
      );
    const gate = new CallGate({
      store,
      runId,
      teacherId: task.teacher.model,
      budget,
      price: runPrice(task.teacher),
    });
    const taskDir = task.file ? dirname(task.file) : run.dir;
    if (task.kind === 'extract') {
      const asked = await askExtractTeacher(task, { gate, taskDir, texts: [...new Set(body.data.texts)] });
      const after = paidSoFar(store.ledger(runId));
      return c.json({
        teacher: task.teacher.model,
        ...asked,
        cost: { dollars: after.dollars - spent.dollars, answers: after.answers - spent.answers },
        spent: after,
        budget: task.budget,
        priced: gate.priced(),
      });
    }
    const teacher = await createTeacher(task.teacher, {
      task: { instruction: task.instruction, labels: task.labels, multiLabel: task.multiLabel, seeds: task.seeds },
      gate,
      taskDir,
      seed: task.seed,
    });
    const texts = [...new Set(body.data.texts)];
    const answers: {
      text: string;
      labels: string[] | null;
      rejected?: string;
      cached: boolean;
      dollars: number;
    }[] = [];
    let stopped: string | undefined;
    // One text per request: the next time the same text is asked, the cache answers it alone.
    for (const text of texts) {
      const seen = gate.ledger().length;
      try {
        const [r] = await teacher.label([{ id: textId(text), text }]);
        const calls = gate.ledger().slice(seen);
        answers.push({
          text,
          labels: r.ok ? r.labels : null,
          ...(r.ok ? {} : { rejected: r.reason }),
          cached: calls.length > 0 && calls.every((l) => l.cached),
          dollars: calls.reduce((a, l) => a + l.dollars, 0),
        });
      } catch (err) {
        // A budget cap or a provider failure ends the batch; what was answered is kept and shown.
        if (!isApprenticeError(err)) throw err;
        stopped = err.message;
        break;
      }
    }
    const after = paidSoFar(store.ledger(runId));
    return c.json({
      teacher: task.teacher.model,
      answers,
      ...(stopped ? { stopped } : {}),
      cost: { dollars: after.dollars - spent.dollars, answers: after.answers - spent.answers },
      spent: after,
      budget: task.budget,
      priced: gate.priced(),
    });
  });

  return {
    close() {
      store?.close();
    },
  };
}

interface Spent {
  answers: number;
  tokens: number;
  dollars: number;
}

/** What the playground has paid for so far, cache hits excluded (they cost nothing). */
function paidSoFar(
  ledger: { cached: boolean; answers: number; inputTokens: number; outputTokens: number; dollars: number }[],
): Spent {
  const out = { answers: 0, tokens: 0, dollars: 0 };
  for (const l of ledger)
    if (!l.cached) {
      out.answers += l.answers;
      out.tokens += l.inputTokens + l.outputTokens;
      out.dollars += l.dollars;
    }
  return out;
}

/**
 * The task's caps less what the playground already paid: the playground never spends more on a
 * run's teacher than the run itself was allowed to. Undefined when a cap is used up.
 */
function remainingBudget(budget: Budget, spent: Spent): Budget | undefined {
  const left: Budget = {};
  if (budget.answers !== undefined) left.answers = budget.answers - spent.answers;
  if (budget.tokens !== undefined) left.tokens = budget.tokens - spent.tokens;
  if (budget.dollars !== undefined) left.dollars = budget.dollars - spent.dollars;
  if ((left.answers ?? 1) <= 0 || (left.tokens ?? 1) <= 0 || (left.dollars ?? 1) <= 0) return undefined;
  return left;
}

function describeBudget(b: Budget): string {
  const parts = [
    b.answers !== undefined ? `${b.answers} answers` : '',
    b.tokens !== undefined ? `${b.tokens} tokens` : '',
    b.dollars !== undefined ? `$${b.dollars}` : '',
  ].filter(Boolean);
  return parts.join(', ') || 'no caps';
}

function readJsonOrUndefined(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

function statMtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}
