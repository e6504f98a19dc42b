import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { bearerMatches } from './auth.js';
import type { ServeListener } from './events.js';
import { HttpError } from './http-error.js';
import { DEFAULT_TOP_K, type ServeLimits } from './limits.js';
import { type Metrics, type MetricsSnapshot, renderPrometheus } from './metrics.js';
import type { ModelSet } from './model-set.js';
import { isJson, readBody } from './read-body.js';
import type { PredictResponse } from './schemas.js';
import { spansToWire, toWire } from './scores.js';
import { predictRequestParser } from './validate.js';

export interface AppOptions {
  models: ModelSet;
  limits: ServeLimits;
  /** When set, every route but /healthz and /readyz needs `Authorization: Bearer <token>`. */
  token?: string;
  /** This process's own counters. */
  metrics: Metrics;
  /** What /metrics shows: this process's snapshot, or all workers' summed. */
  collectMetrics: () => Promise<MetricsSnapshot>;
  isDraining: () => boolean;
  openapi: object;
  onEvent?: ServeListener;
  worker?: number;
}

type Env = { Bindings: HttpBindings; Variables: { route: string; model: string; errorCode: string } };

/** The HTTP API (docs/serve.md). Routes only; listening, workers and shutdown live in server.ts and cluster.ts. */
export function createApp(o: AppOptions): Hono<Env> {
  const app = new Hono<Env>();
  const parsePredict = predictRequestParser(o.limits);
  const openapiJson = JSON.stringify(o.openapi);

  // Outermost: every answer, errors included, is counted and timed by model and route.
  app.use(async (c, next) => {
    const start = performance.now();
    c.set('route', 'other');
    c.set('model', '');
    await next();
    if (o.isDraining()) c.header('connection', 'close');
    const model = c.get('model');
    const route = c.get('route');
    o.metrics.inc('apprentice_http_requests_total', { model, route, status: String(c.res.status) });
    o.metrics.observe('apprentice_http_request_duration_seconds', { model, route }, (performance.now() - start) / 1000);
    const code = c.get('errorCode');
    if (code) o.metrics.inc('apprentice_http_errors_total', { model, route, code });
  });

  app.use(async (c, next) => {
    const path = c.req.path;
    if (o.token && path !== '/healthz' && path !== '/readyz' && !bearerMatches(c.req.header('authorization'), o.token))
      throw new HttpError(401, 'unauthorized', 'missing or wrong bearer token', {
        hint: 'send the header "Authorization: Bearer <APPRENTICE_SERVE_TOKEN>"',
        headers: { 'www-authenticate': 'Bearer' },
      });
    await next();
  });

  app.get('/healthz', (c) => {
    c.set('route', 'healthz');
    return c.json({ status: 'ok' });
  });

  app.get('/readyz', (c) => {
    c.set('route', 'readyz');
    if (o.isDraining()) return c.json({ status: 'draining' }, 503);
    return c.json({ status: 'ok', models: o.models.names() });
  });

  app.get('/metrics', async (c) => {
    c.set('route', 'metrics');
    const text = renderPrometheus(await o.collectMetrics());
    return c.body(text, 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  });

  app.get('/openapi.json', (c) => {
    c.set('route', 'openapi');
    return c.body(openapiJson, 200, { 'content-type': 'application/json' });
  });

  app.get('/v1/models', (c) => {
    c.set('route', 'models');
    return c.json({ models: o.models.list() });
  });

  app.get('/v1/models/:name', (c) => {
    c.set('route', 'model');
    return c.json(slotFor(c.req.param('name'), (m) => c.set('model', m)).info());
  });

  app.post('/v1/models/:name/predict', async (c) => {
    c.set('route', 'predict');
    // The model is taken once: a reload during this request does not mix two models' answers.
    const slot = slotFor(c.req.param('name'), (m) => c.set('model', m));
    const model = slot.model;
    const sha256 = slot.sha256;
    if (!isJson(c.req.header('content-type')))
      throw new HttpError(415, 'unsupported_media_type', 'Content-Type must be application/json', {
        hint: 'send the header "Content-Type: application/json"',
      });
    const request = parsePredict(await readBody(c.env.incoming, o.limits.maxBodyBytes));
    let predictions: PredictResponse['predictions'];
    if (model.task === 'extract') {
      if (request.top_k !== undefined)
        throw new HttpError(
          400,
          'invalid_request',
          `top_k: model "${slot.name}" extracts spans; top_k is for classifiers`,
          {
            hint: 'send {"texts": [...]} alone; every span found comes back with its score',
          },
        );
      predictions = model.student.predictBatch(request.texts).map(spansToWire);
    } else {
      const { student } = model;
      const topK = request.top_k ?? DEFAULT_TOP_K;
      predictions = student.predictBatch(request.texts).map((p) => toWire(student.labels, p, topK));
    }
    o.metrics.inc('apprentice_predictions_total', { model: slot.name }, predictions.length);
    c.header('x-apprentice-model-sha256', sha256);
    return c.json({ predictions });
  });

  const methodNotAllowed = (allow: string) => () => {
    throw new HttpError(405, 'method_not_allowed', `use ${allow} here`, { headers: { allow } });
  };
  app.all('/v1/models/:name/predict', methodNotAllowed('POST'));
  for (const p of ['/healthz', '/readyz', '/metrics', '/openapi.json', '/v1/models', '/v1/models/:name'])
    app.all(p, methodNotAllowed('GET'));

  app.notFound(() => {
    throw new HttpError(404, 'not_found', 'no such route', { hint: 'see GET /openapi.json for the routes' });
  });

  app.onError((err, c) => {
    const e =
      err instanceof HttpError
        ? err
        : new HttpError(500, 'internal', 'internal error; the server logged it', {
            hint: 'retry; if it persists, report it with the server log',
          });
    if (!(err instanceof HttpError))
      o.onEvent?.({
        type: 'request-failed',
        route: c.get('route') ?? 'other',
        model: c.get('model') ?? '',
        message: err.stack ?? String(err),
        worker: o.worker,
      });
    c.set('errorCode', e.code);
    return c.json(e.body(), e.status, e.headers);
  });

  function slotFor(name: string, setModel: (m: string) => void) {
    const slot = o.models.get(name);
    if (!slot)
      throw new HttpError(404, 'model_not_found', `no model named "${name}"`, {
        hint: `served models: ${o.models.names().join(', ')} (GET /v1/models)`,
      });
    // Only known names become metric labels: a client cannot grow the series by inventing names.
    setModel(slot.name);
    return slot;
  }

  return app;
}
