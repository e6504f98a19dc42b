import path from 'node:path';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type RunningServer, startServer } from './server.js';
import { tempModels, trainMultiLabelTopicModel, trainTopicModel } from './models.fixture.js';

const tmp = tempModels();
let server: RunningServer;
const LIMITS = { maxBodyBytes: 4096, maxBatch: 8, maxTextChars: 200 };

beforeAll(async () => {
  trainTopicModel(path.join(tmp.dir, 'support', 'model', 'student.bin'));
  trainTopicModel(path.join(tmp.dir, 'two', 'student.bin'), { seed: 2, labels: ['billing', 'shipping'] });
  trainMultiLabelTopicModel(path.join(tmp.dir, 'multi', 'student.bin'));
  server = await startServer({
    models: [
      { name: 'support', file: path.join(tmp.dir, 'support', 'model', 'student.bin') },
      { name: 'two', file: path.join(tmp.dir, 'two', 'student.bin') },
      { name: 'multi', file: path.join(tmp.dir, 'multi', 'student.bin') },
    ],
    host: '127.0.0.1',
    port: 0,
    limits: LIMITS,
  });
});
afterAll(async () => {
  await server?.close();
  tmp.cleanup();
});

async function post(model: string, body: unknown, headers: Record<string, string> = {}) {
  const r = await fetch(`${server.url}/v1/models/${model}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: r.status, headers: r.headers, json: (await r.json()) as any };
}

describe('POST /v1/models/{name}/predict', () => {
  it('answers one prediction per text, in order, with scores highest first', async () => {
    const r = await post('support', { texts: ['my invoice shows a double charge', 'the parcel tracking says lost'] });
    expect(r.status).toBe(200);
    expect(r.json.predictions).toHaveLength(2);
    expect(r.json.predictions[0].labels).toEqual(['billing']);
    expect(r.json.predictions[1].labels).toEqual(['shipping']);
    for (const p of r.json.predictions) {
      expect(p.scores).toHaveLength(4); // default top_k 5, capped at the 4 labels
      expect(p.scores[0].label).toBe(p.labels[0]);
      const scores = p.scores.map((s: { score: number }) => s.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
      expect(scores.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 3);
    }
    expect(r.headers.get('x-apprentice-model-sha256')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('honours top_k and serves each model under its own name', async () => {
    const a = await post('support', { texts: ['reset link for my password'], top_k: 1 });
    expect(a.json.predictions[0].scores).toHaveLength(1);
    expect(a.json.predictions[0].scores[0].label).toBe('account');
    const b = await post('two', { texts: ['reset link for my password', 'courier dispatch'] });
    expect(b.status).toBe(200);
    for (const p of b.json.predictions) expect(['billing', 'shipping']).toContain(p.labels[0]);
  });

  it('gives a multi-label model every label over its threshold', async () => {
    const r = await post('multi', {
      texts: [
        'the invoice charge on my card is wrong and the courier lost the parcel tracking',
        'login password locked',
      ],
    });
    expect(r.status).toBe(200);
    expect([...r.json.predictions[0].labels].sort()).toEqual(['billing', 'shipping']);
    expect(r.json.predictions[1].labels).toEqual(['account']);
    const models = (await (await fetch(`${server.url}/v1/models/multi`)).json()) as any;
    expect(models.multi_label).toBe(true);
  });

  const cases: [string, () => Promise<{ status: number; json: any }>, number, string][] = [
    ['invalid JSON', () => post('support', '{"texts": ['), 400, 'invalid_json'],
    ['no texts', () => post('support', { top_k: 1 }), 400, 'invalid_request'],
    ['empty batch', () => post('support', { texts: [] }), 400, 'invalid_request'],
    ['a text that is not a string', () => post('support', { texts: ['ok', 3] }), 400, 'invalid_request'],
    ['an unknown field', () => post('support', { text: 'typo' }), 400, 'invalid_request'],
    ['top_k 0', () => post('support', { texts: ['a'], top_k: 0 }), 400, 'invalid_request'],
    ['a batch over the limit', () => post('support', { texts: Array(9).fill('a') }), 413, 'batch_too_large'],
    ['a text over the limit', () => post('support', { texts: ['a', 'b'.repeat(201)] }), 413, 'text_too_long'],
    ['a body over the limit', () => post('support', { texts: ['c'.repeat(5000)] }), 413, 'body_too_large'],
    ['an unknown model', () => post('nope', { texts: ['a'] }), 404, 'model_not_found'],
    [
      'a wrong content type',
      () => post('support', { texts: ['a'] }, { 'content-type': 'text/plain' }),
      415,
      'unsupported_media_type',
    ],
  ];
  for (const [what, send, status, code] of cases) {
    it(`refuses ${what} with ${status} ${code}`, async () => {
      const r = await send();
      expect(r.status).toBe(status);
      expect(r.json.error.code).toBe(code);
      expect(r.json.error.message).toEqual(expect.any(String));
    });
  }

  it('names the offending text and the limit', async () => {
    const r = await post('support', { texts: ['a', 'b'.repeat(201)] });
    expect(r.json.error.message).toBe('texts[1] is 201 characters, over the limit of 200');
    expect(r.json.error.hint).toMatch(/200/);
  });

  it('refuses a chunked body over the limit while streaming it, and keeps serving', async () => {
    // No Content-Length: the limit must hold while reading, not only from the header.
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${server.url}/v1/models/support/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.write('{"texts": ["');
      for (let i = 0; i < 8; i++) req.write('x'.repeat(1000));
      req.end('"]}');
    });
    expect(status).toBe(413);
    expect((await post('support', { texts: ['still here'] })).status).toBe(200);
  });

  it('answers 405 for another method, 404 JSON for an unknown route', async () => {
    const r = await fetch(`${server.url}/v1/models/support/predict`);
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('POST');
    const n = await fetch(`${server.url}/v2/whatever`);
    expect(n.status).toBe(404);
    expect(((await n.json()) as any).error.code).toBe('not_found');
  });
});

describe('model list, health, readiness', () => {
  it('GET /v1/models lists every model with its labels and version', async () => {
    const r = (await (await fetch(`${server.url}/v1/models`)).json()) as any;
    expect(r.models.map((m: { name: string }) => m.name)).toEqual(['support', 'two', 'multi']);
    expect(r.models[0]).toMatchObject({ kind: 'hashed-linear', multi_label: false, labels: expect.any(Array) });
    expect(r.models[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    const one = await fetch(`${server.url}/v1/models/two`);
    expect(((await one.json()) as any).labels).toEqual(['billing', 'shipping']);
    expect((await fetch(`${server.url}/v1/models/none`)).status).toBe(404);
  });

  it('GET /healthz and /readyz answer 200', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', models: ['support', 'two', 'multi'] });
  });
});

describe('GET /metrics', () => {
  it('is Prometheus text with requests, latency histogram, errors and predictions per model', async () => {
    await post('support', { texts: ['a', 'b', 'c'] });
    await post('nope', { texts: ['a'] });
    const r = await fetch(`${server.url}/metrics`);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await r.text();
    // Every line is a comment or `name{labels} value`, as the exposition format requires.
    for (const line of text.trim().split('\n'))
      expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|[a-z_]+(\{([a-z_][a-z0-9_]*="[^"]*",?)*\})? -?[0-9.e+-]+)$/);
    const value = (series: string) =>
      Number(
        text
          .split('\n')
          .find((l) => l.startsWith(`${series} `))
          ?.split(' ')[1],
      );
    expect(
      value('apprentice_http_requests_total{model="support",route="predict",status="200"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(value('apprentice_predictions_total{model="support"}')).toBeGreaterThanOrEqual(3);
    expect(
      value('apprentice_http_errors_total{model="",route="predict",code="model_not_found"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(value('apprentice_http_errors_total{model="support",route="predict",code="batch_too_large"}')).toBe(1);
    const count = value('apprentice_http_request_duration_seconds_count{model="support",route="predict"}');
    expect(value('apprentice_http_request_duration_seconds_bucket{model="support",route="predict",le="+Inf"}')).toBe(
      count,
    );
    expect(text).toContain('# TYPE apprentice_http_request_duration_seconds histogram');
    // An invented model name is not a label: clients cannot grow the series.
    expect(text).not.toContain('model="nope"');
  });
});

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document whose $refs resolve', async () => {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as any;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/models', '/v1/models/{name}/predict', '/healthz', '/readyz', '/metrics']),
    );
    const refs = JSON.stringify(doc).match(/"\$ref":"#\/components\/schemas\/\w+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) expect(doc.components.schemas[ref.split('/').pop()!.replace('"', '')]).toBeDefined();
  });

  it('holds the predict schema with this server’s limits, and that schema accepts and refuses as the server does', async () => {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as any;
    const schema = doc.components.schemas.PredictRequest;
    expect(schema.properties.texts).toMatchObject({ maxItems: 8, minItems: 1, items: { maxLength: 200 } });
    expect(doc.paths['/v1/models/{name}/predict'].post.requestBody.content['application/json'].schema.$ref).toBe(
      '#/components/schemas/PredictRequest',
    );
    const rebuilt = z.fromJSONSchema(schema);
    expect(rebuilt.safeParse({ texts: ['hello'], top_k: 2 }).success).toBe(true);
    for (const bad of [{ texts: [] }, { texts: Array(9).fill('a') }, { texts: ['x'.repeat(201)] }, { text: 'a' }])
      expect(rebuilt.safeParse(bad).success).toBe(false);
  });
});

describe('a running server under bad requests', () => {
  it('keeps answering good requests while bad ones arrive', async () => {
    const bad = Array.from({ length: 40 }, (_, i) =>
      i % 2 ? post('support', '{{{') : post('support', { texts: ['z'.repeat(300)] }),
    );
    const good = Array.from({ length: 10 }, () => post('support', { texts: ['card payment failed'] }));
    const results = await Promise.all([...bad, ...good]);
    expect(results.slice(40).every((r) => r.status === 200)).toBe(true);
    expect(results.slice(0, 40).every((r) => r.status === 400 || r.status === 413)).toBe(true);
  });
});
