import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpanStudent } from '../student/sequence/types.js';
import { spanRows } from '../student/sequence/synthetic-spans.js';
import { type RunningServer, startServer } from './server.js';
import { tempModels, trainSpanModel, trainTopicModel } from './models.fixture.js';

const tmp = tempModels();
let server: RunningServer;
let student: SpanStudent;
const LIMITS = { maxBodyBytes: 4096, maxBatch: 8, maxTextChars: 200 };

beforeAll(async () => {
  student = trainSpanModel(path.join(tmp.dir, 'ner', 'student.bin'));
  trainTopicModel(path.join(tmp.dir, 'topics', 'student.bin'));
  server = await startServer({
    models: [
      { name: 'ner', file: path.join(tmp.dir, 'ner', 'student.bin') },
      { name: 'topics', file: path.join(tmp.dir, 'topics', 'student.bin') },
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
  return { status: r.status, json: (await r.json()) as any };
}

describe('serving an extraction model', () => {
  it('answers spans with offsets, type and score: the library’s spans, in order', async () => {
    const texts = spanRows(6, 40, true).map((r) => r.text);
    const r = await post('ner', { texts });
    expect(r.status).toBe(200);
    expect(r.json.predictions).toHaveLength(6);
    texts.forEach((text, i) => {
      const lib = student.predict(text);
      const wire = r.json.predictions[i];
      expect(wire.spans.map((s: any) => [s.start, s.end, s.type, s.text])).toEqual(
        lib.spans.map((s) => [s.start, s.end, s.type, s.text]),
      );
      for (const [j, s] of wire.spans.entries()) {
        expect(text.slice(s.start, s.end)).toBe(s.text);
        expect(s.score).toBeCloseTo(lib.spans[j].confidence, 5);
      }
      expect(wire.confidence).toBeCloseTo(lib.confidence, 5);
    });
    expect(r.json.predictions.flatMap((p: any) => p.spans).length).toBeGreaterThan(3);
  });

  it('a text with nothing in it has no spans', async () => {
    const r = await post('ner', { texts: [''] });
    expect(r.status).toBe(200);
    expect(r.json.predictions[0]).toEqual({ spans: [], confidence: 1 });
  });

  it('lists the model as an extraction model with its types', async () => {
    const info = (await (await fetch(`${server.url}/v1/models/ner`)).json()) as any;
    expect(info).toMatchObject({
      kind: 'sequence-perceptron',
      task: 'extract',
      labels: ['person', 'city', 'product'],
      multi_label: false,
    });
    const clf = (await (await fetch(`${server.url}/v1/models/topics`)).json()) as any;
    expect(clf).toMatchObject({ kind: 'hashed-linear', task: 'classify' });
  });

  it('a classifier served beside it answers labels as before', async () => {
    const r = await post('topics', { texts: ['my invoice shows a double charge'], top_k: 2 });
    expect(r.status).toBe(200);
    expect(r.json.predictions[0].labels).toHaveLength(1);
    expect(r.json.predictions[0].scores).toHaveLength(2);
  });

  it('answers bad requests with 4xx and a code, and keeps serving', async () => {
    expect((await post('ner', { texts: ['a'], top_k: 3 })).json.error.code).toBe('invalid_request');
    expect((await post('ner', { texts: ['a'], top_k: 3 })).status).toBe(400);
    expect((await post('ner', { text: 'a' })).status).toBe(400);
    expect((await post('ner', '{"texts": [')).json.error.code).toBe('invalid_json');
    expect((await post('ner', { texts: ['x'.repeat(201)] })).status).toBe(413);
    expect((await post('ner', { texts: Array(9).fill('a') })).status).toBe(413);
    expect((await post('ner', { texts: ['a'] }, { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post('ner', { texts: ['Ada Lovelace flew to Paris'] })).status).toBe(200);
  });

  it('documents span predictions in /openapi.json', async () => {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as any;
    expect(JSON.stringify(doc.components.schemas.PredictResponse)).toMatch(/"spans"/);
    expect(JSON.stringify(doc.components.schemas.ModelInfo)).toMatch(/"extract"/);
  });
});
