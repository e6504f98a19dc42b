import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import type { RejectedRow } from '../../data/example.js';
import { isApprenticeError } from '../../errors.js';
import { RUN_FILES, readRunStatus } from '../../run/run-files.js';
import { isExtractSummary, type RunSummary } from '../../run/task-kinds.js';
import { CORRECTIONS_FILE, CorrectionStore, type Decision } from '../../store/corrections.js';
import { hostCheck, requireToken, sameOriginWrites } from './guard.js';
import { OutOfFoldJobs } from './out-of-fold-jobs.js';
import { playgroundRoutes } from './playground.js';
import { INDEX_FILE, RowIndex, type RowFilter } from './row-index.js';
import { Runner } from './runner.js';
import { listRuns, readEvents, readJson, runDirOf, runItem, runKind } from './runs.js';
import { spanPage } from './span-rows.js';
import { spanReviewRoutes } from './span-review.js';
import { tailLines } from './tail.js';

export interface StudioOptions {
  runsDir: string;
  /** Teacher cache for runs started here (default .apprentice/cache.sqlite). */
  cachePath: string;
  /** Required for any host but loopback. */
  token?: string;
  /** Host names the Host header may carry; default: any (set by startStudio from the bound host). */
  allowHost?: (host: string) => boolean;
  /** The front end: index.html, app.js, app.css. */
  assets: () => Promise<Record<string, { type: string; body: string }>>;
}

export interface Studio {
  app: Hono;
  runner: Runner;
  /** Out-of-fold predictions being computed for runs' rows (the bench and tests wait on them). */
  outOfFold: OutOfFoldJobs;
  close(): Promise<void>;
}

const filterSchema = z.object({
  label: z.string().optional(),
  predicted: z.string().optional(),
  source: z.string().optional(),
  round: z.coerce.number().int().optional(),
  strategy: z.string().optional(),
  disagree: z.enum(['0', '1']).optional(),
  low: z.enum(['0', '1']).optional(),
  flagged: z.enum(['0', '1']).optional(),
  q: z.string().max(500).optional(),
});

function toFilter(f: z.infer<typeof filterSchema>): RowFilter {
  const flag = (v?: '0' | '1') => (v === undefined ? undefined : v === '1');
  return {
    ...(f.label !== undefined ? { label: f.label } : {}),
    ...(f.predicted !== undefined ? { predicted: f.predicted } : {}),
    ...(f.source !== undefined ? { source: f.source } : {}),
    ...(f.round !== undefined ? { round: f.round } : {}),
    ...(f.strategy !== undefined ? { strategy: f.strategy } : {}),
    ...(f.disagree !== undefined ? { disagree: flag(f.disagree) } : {}),
    ...(f.low !== undefined ? { low: flag(f.low) } : {}),
    ...(f.flagged !== undefined ? { flagged: flag(f.flagged) } : {}),
    ...(f.q ? { q: f.q } : {}),
  };
}

const decisionSchema = z.object({
  textId: z.string().min(1),
  decision: z.enum(['accept', 'relabel', 'unusable']),
  labels: z.array(z.string()).default([]),
  reviewer: z.string().min(1).max(100),
});

const bulkSchema = z.object({
  filter: filterSchema,
  decision: z.enum(['accept', 'unusable']),
  reviewer: z.string().min(1).max(100),
  /** The count the reviewer confirmed; refused when the filter now matches a different number. */
  expect: z.number().int().nonnegative(),
});

const startSchema = z.object({ taskFile: z.string().min(1), confirm: z.boolean().default(false) });

/** The studio's HTTP app: JSON API, SSE, and the bundled front end. */
export function createStudio(options: StudioOptions): Studio {
  const runsDir = resolve(options.runsDir);
  const indexFile = join(runsDir, INDEX_FILE);
  const index = new RowIndex(indexFile);
  const corrections = new CorrectionStore(join(runsDir, CORRECTIONS_FILE));
  const runner = new Runner(runsDir, options.cachePath);
  const outOfFold = new OutOfFoldJobs(index, indexFile);
  const app = new Hono();

  app.onError((err, c) => {
    if (isApprenticeError(err))
      return c.json({ error: err.message, ...(err.hint ? { hint: err.hint } : {}), code: err.code }, 400);
    return c.json({ error: err instanceof Error ? err.message : String(err) }, 500);
  });
  if (options.allowHost) app.use('*', hostCheck(options.allowHost));
  app.use('*', requireToken(options.token));
  app.use('*', sameOriginWrites());
  app.use('*', async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
  });

  /** The run's directory, or a 404 answer. */
  const runOr404 = (c: Context): { name: string; dir: string } | Response => {
    const name = c.req.param('run') ?? '';
    const dir = runDirOf(runsDir, name);
    if (!dir) return c.json({ error: `no run named ${JSON.stringify(name)} under the runs directory` }, 404);
    return { name, dir };
  };
  const taskOf = (dir: string) => readRunStatus(dir)?.task ?? '';

  // ---- front end
  const page = async (c: Context, name: string) => {
    const assets = await options.assets();
    const a = assets[name];
    if (!a) return c.notFound();
    c.header('Content-Type', a.type);
    c.header('Cache-Control', 'no-cache');
    if (name === 'index.html')
      c.header(
        'Content-Security-Policy',
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
      );
    return c.body(a.body);
  };
  app.get('/', (c) => page(c, 'index.html'));
  app.get('/assets/:file', (c) => page(c, c.req.param('file')));

  // ---- runs
  app.get('/api/runs', (c) => c.json({ runs: listRuns(runsDir).map((r) => ({ ...r, live: runner.isLive(r.name) })) }));

  app.get('/api/runs/:run', (c) => {
    const run = runOr404(c);
    if (run instanceof Response) return run;
    const item = runItem(runsDir, run.name)!;
    const read = readJson<RunSummary>(join(run.dir, RUN_FILES.summary));
    // An extraction summary has span scores, not final.accuracy: sent as `extract`, never as `summary`.
    const extract = read && isExtractSummary(read) ? read : undefined;
    const summary = read && !isExtractSummary(read) ? read : undefined;
    const info = readRunStatus(run.dir);
    const task = readJson<{ labels: { name: string }[]; eval?: string }>(join(run.dir, RUN_FILES.task));
    return c.json({
      ...item,
      live: runner.isLive(run.name),
      info,
      summary: summary ?? null,
      ...(extract ? { extract } : {}),
      labels: task?.labels.map((l) => l.name) ?? [],
      events: readEvents(run.dir).filter((e) => e.type !== 'train-epoch-end'),
      hasReport: existsSync(join(run.dir, RUN_FILES.report)),
      hasStudent: existsSync(join(run.dir, RUN_FILES.student)),
    });
  });

  // The report as distill wrote it; its own CSP forbids scripts, and it is shown in a sandboxed frame.
  app.get('/api/runs/:run/report', (c) => {
    const run = runOr404(c);
    if (run instanceof Response) return run;
    const path = join(run.dir, RUN_FILES.report);
    if (!existsSync(path))
      return c.json({ error: 'this run has no report yet (it is written when the run completes)' }, 404);
    c.header('Content-Type', 'text/html; charset=utf-8');
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox");
    return c.body(readFileSync(path, 'utf8'));
  });

  // Live events: everything so far, then each new line as the run appends it.
  app.get('/api/runs/:run/events', (c) => {
    const run = runOr404(c);
    if (run instanceof Response) return run;
    return streamSSE(c, async (stream) => {
      let id = 0;
      const queue: string[] = [];
      let wake: (() => void) | undefined;
      const stop = tailLines(join(run.dir, RUN_FILES.events), (line) => {
        queue.push(line);
        wake?.();
      });
      let closed = false;
      stream.onAbort(() => {
        closed = true;
        wake?.();
      });
      try {
        while (!closed) {
          while (queue.length > 0) await stream.writeSSE({ data: queue.shift()!, event: 'event', id: String(id++) });
          // A comment line now and then keeps proxies from closing an idle stream.
          await Promise.race([
            new Promise<void>((r) => {
              wake = r;
            }),
            stream.sleep(15_000).then(() => stream.write(': keep-alive\n\n')),
          ]);
          wake = undefined;
        }
      } finally {
        stop();
      }
    });
  });

  app.post('/api/plan', async (c) => {
    const body = startSchema.parse(await c.req.json());
    const { task, plan } = await runner.plan(body.taskFile);
    return c.json({ task: task.name, teacher: task.teacher.model, plan });
  });

  app.post('/api/runs', async (c) => {
    const parsed = startSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: 'expected {"taskFile": "<path>", "confirm": boolean}' }, 400);
    const { plan } = await runner.plan(parsed.data.taskFile);
    const dollars = plan.dollars?.online ?? 0;
    if (dollars > 0 && !parsed.data.confirm)
      return c.json({ error: 'this run costs money: confirm its plan first', plan }, 409);
    const started = await runner.start(parsed.data.taskFile);
    return c.json({ name: started.name, runId: started.runId, plan }, 201);
  });

  // An extraction run's rows are texts with spans: they have their own endpoints (span-rows.ts, span-review.ts).
  const notForExtract = (c: Context, dir: string, what: string): Response | undefined =>
    runKind(dir) === 'extract'
      ? c.json(
          {
            error: `${what} does not apply to extraction runs: their texts have spans, not labels`,
            hint: 'their training rows are at /api/runs/<run>/spans, their review queue at /api/runs/<run>/span-review and decisions go to /api/runs/<run>/span-corrections',
          },
          409,
        )
      : undefined;

  // "Retrain now": a new run beside this one, from its rows with the corrections applied (no teacher).
  app.post('/api/runs/:run/retrain', async (c) => {
    const run = runOr404(c);
    if (run instanceof Response) return run;
    if (readRunStatus(run.dir)?.status !== 'complete')
      return c.json({ error: `run ${run.name} is not complete: only a finished run's rows can be retrained` }, 409);
    try {
      return c.json(await runner.retrain(run.dir, corrections.file), 201);
    } catch (e) {
      // The command's own message (no gold rows, a damaged run): the request cannot be served as it is.
      return c.json({ error: (e as Error).message }, 400);
    }
  });

  app.post('/api/runs/:run/stop', (c) => {
    const name = c.req.param('run');
    if (!runner.stop(name))
      return c.json({ error: `run ${name} is not running in this studio (stop a CLI run with Ctrl-C)` }, 409);
    return c.json({ stopping: name });
  });

  // ---- data browser
  app.get('/api/runs/:run/spans', (c) => {
    const run = runOr404(c);
    if (run instanceof Response) return run;
    if (runKind(run.dir) !== 'extract')
      return c.json({ error: `${run.name} is not an extraction run: its rows are at /api/runs/<run>/rows` }, 409);
    const q = z
      .object({
        type: z.string().optional(),
        source: z.string().optional(),
        round: z.coerce.number().int().optional(),
        q: z.string().max(500).optional(),
        offset: z.coerce.number().int().min(0).default(0),
        limit: z.coerce.number().int().min(1).max(500).default(50),
      })
      .safeParse(c.req.query());
    if (!q.success)
      return c.json({ error: q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }, 400);
    if (!existsSync(join(run.dir, RUN_FILES.training)))
      return c.json({ error: 'this run has no training rows yet (they are written when the run completes)' }, 404);
    const { offset, limit, ...filter } = q.data;
    return c.json({ offset, ...spanPage(run.dir, filter, { offset, limit }) });
  });

  app.get('/api/runs/:run/rows', (c) => {
    const run = runOr404(c);
    if (run instanceof Response) return run;
    const refused = notForExtract(c, run.dir, 'the label row index');
    if (refused) return refused;
    const q = filterSchema
      .extend({
        offset: z.coerce.number().int().min(0).default(0),
        limit: z.coerce.number().int().min(1).max(500).default(50),
        order: z.enum(['file', 'priority']).default('file'),
        facets: z.enum(['0', '1']).default('1'),
      })
      .safeParse(c.req.query());
    if (!q.success)
      return c.json({ error: q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }, 400);
    const t0 = performance.now();
    // Started (once per run) before the index is read: rows get rescored when its predictions land.
    const oof = outOfFold.ensure(run.name, run.dir);
    const meta = index.ensure(run.name, run.dir);
    const filter = toFilter(q.data);
    // The facet counts sum to the total, so a page with facets needs no COUNT of its own.
    const facets = q.data.facets === '1' ? index.facets(run.name, filter) : undefined;
    const page = index.page(run.name, filter, { ...q.data, total: facets?.total });
    const task = taskOf(run.dir);
    const decided = corrections.forTexts(
      task,
      page.rows.map((r) => r.textId),
    );
    return c.json({
      ...meta,
      outOfFold: oof,
      total: page.total,
      offset: q.data.offset,
      rows: page.rows.map((r) => ({ ...r, correction: decided.get(r.textId) ?? null })),
      facets: facets?.facets ?? null,
      ms: Math.round(performance.now() - t0),
    });
  });

  app.get('/api/runs/:run/confusion', (c) => {
    const run = runOr404(c);
    if (run instanceof Response) return run;
    const refused = notForExtract(c, run.dir, 'the label confusion matrix');
    if (refused) return refused;
    index.ensure(run.name, run.dir);
    return c.json(index.confusion(run.name));
  });

  app.get('/api/runs/:run/rejected', (c) => {
    const run = runOr404(c);
    if (run instanceof Response) return run;
    const offset = Math.max(0, Number(c.req.query('offset') ?? 0) || 0);
    const path = join(run.dir, RUN_FILES.rejected);
    const rows = existsSync(path)
      ? readFileSync(path, 'utf8')
          .split('\n')
          .filter((l) => l.trim())
          .map((l) => JSON.parse(l) as RejectedRow)
      : [];
    return c.json({ total: rows.length, offset, rows: rows.slice(offset, offset + 50) });
  });

  // ---- review
  app.post('/api/runs/:run/corrections', async (c) => {
    const run = runOr404(c);
    if (run instanceof Response) return run;
    const refused = notForExtract(c, run.dir, 'review');
    if (refused) return refused;
    const body = decisionSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success)
      return c.json({ error: body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }, 400);
    index.ensure(run.name, run.dir);
    const row = index.row(run.name, body.data.textId);
    if (!row) return c.json({ error: `no training row with id ${body.data.textId} in ${run.name}` }, 404);
    const labels: string[] = body.data.decision === 'unusable' ? [] : body.data.labels;
    if (body.data.decision !== 'unusable' && labels.length === 0)
      return c.json({ error: `labels: a ${body.data.decision} decision needs at least one label` }, 400);
    const saved = corrections.add({
      task: taskOf(run.dir),
      textId: row.textId,
      text: row.text,
      labels,
      decision: body.data.decision as Decision,
      reviewer: body.data.reviewer,
      run: run.name,
    });
    return c.json(saved, 201);
  });

  app.post('/api/runs/:run/corrections/bulk', async (c) => {
    const run = runOr404(c);
    if (run instanceof Response) return run;
    const refused = notForExtract(c, run.dir, 'review');
    if (refused) return refused;
    const body = bulkSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success)
      return c.json({ error: body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }, 400);
    index.ensure(run.name, run.dir);
    const rows = index.matching(run.name, toFilter(body.data.filter));
    if (rows.length !== body.data.expect)
      return c.json(
        { error: `the filter now matches ${rows.length} rows, not the ${body.data.expect} confirmed` },
        409,
      );
    const task = taskOf(run.dir);
    const result = corrections.addMany(
      rows.map((r) => ({
        task,
        textId: r.textId,
        text: r.text,
        labels: body.data.decision === 'unusable' ? [] : r.labels,
        decision: body.data.decision,
        reviewer: body.data.reviewer,
        run: run.name,
      })),
    );
    return c.json(result, 201);
  });

  app.post('/api/runs/:run/corrections/undo', async (c) => {
    const run = runOr404(c);
    if (run instanceof Response) return run;
    const body = z.object({ reviewer: z.string().min(1) }).safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) return c.json({ error: 'expected {"reviewer": "<name>"}' }, 400);
    return c.json({ undone: corrections.undoLast(body.data.reviewer, taskOf(run.dir)) });
  });

  app.get('/api/runs/:run/corrections', (c) => {
    const run = runOr404(c);
    if (run instanceof Response) return run;
    return c.json({ corrections: corrections.all(taskOf(run.dir)) });
  });

  // ---- review of an extraction run (spans)
  spanReviewRoutes(app, { runOr404, corrections, taskOf });

  // ---- playground (the student's n-grams, the teacher beside it)
  const playground = playgroundRoutes(app, { runOr404, cachePath: options.cachePath });

  app.notFound((c) => c.json({ error: `no such path: ${c.req.path}` }, 404));

  return {
    app,
    runner,
    outOfFold,
    async close() {
      await runner.stopAll();
      await outOfFold.close();
      playground.close();
      index.close();
      corrections.close();
    },
  };
}
