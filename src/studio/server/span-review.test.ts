import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLlm, httpError, startFakeLlm } from '../../../test/fake-llm/index.js';
import type { FakeLlmRequest } from '../../../test/fake-llm/types.js';
import { makeExtractRun } from '../../../test/fixtures/extract-run.js';
import { RUN_FILES } from '../../run/run-files.js';
import { CORRECTIONS_FILE, readSpanCorrections } from '../../store/corrections.js';
import { textOfExtractionQuestion } from '../../teacher/extract/prompts.js';
import { createStudio, type Studio } from './app.js';
import { writeBigRun } from './big-run.fixture.js';

const SECRET = 'sk-studio-EXTRACT-KEY-MUST-NEVER-REACH-THE-BROWSER-7';
const KEY_ENV = 'STUDIO_SPAN_PLAYGROUND_TEST_KEY';
let root: string;
let studio: Studio;
let llm: FakeLlm;
let mode: 'answer' | 'reject-key' = 'answer';
let task: string;

interface QueueRow {
  textId: string;
  text: string;
  spans: { start: number; end: number; type: string }[];
  tokens: { start: number; end: number }[];
  predicted: { confidence: number }[] | null;
  confidence: number | null;
}

beforeAll(async () => {
  process.env[KEY_ENV] = SECRET;
  llm = await startFakeLlm((req: FakeLlmRequest) => {
    if (mode === 'reject-key')
      return httpError(401, `Incorrect API key provided: ${String(req.headers.authorization ?? '')}`);
    const text = textOfExtractionQuestion(req.messages.find((m) => m.role === 'user')!.content) ?? '';
    // Like an LLM: the capitalised words are people, and one mention that is not in the text.
    const entities = (text.match(/\b[A-Z][a-z]+ [A-Z][a-z]+\b/g) ?? []).map((t) => ({ type: 'person', text: t }));
    entities.push({ type: 'person', text: 'Nobody Here' });
    return JSON.stringify({ entities });
  });
  root = mkdtempSync(join(tmpdir(), 'studio-span-review-'));
  const work = join(root, 'work');
  mkdirSync(work);
  await makeExtractRun(work, { out: join(root, 'runs', 'ner'), rows: 120, answers: 80 });
  writeBigRun(join(root, 'runs', 'labels'), 50);
  task = JSON.parse(readFileSync(join(root, 'runs', 'ner', RUN_FILES.task), 'utf8')).name;
  studio = createStudio({
    runsDir: join(root, 'runs'),
    cachePath: join(root, 'cache.sqlite'),
    assets: async () => ({}),
  });
}, 300_000);
afterAll(async () => {
  await studio?.close();
  await llm?.stop();
  delete process.env[KEY_ENV];
  if (root) rmSync(root, { recursive: true, force: true });
});

const get = async (path: string) => {
  const res = await studio.app.request(path, { headers: { host: 'localhost:4173' } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: string } };
};
const post = async (path: string, body: unknown) => {
  const res = await studio.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', host: 'localhost:4173' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain('NEVER-REACH');
  return { status: res.status, body: JSON.parse(text) };
};

describe('extraction review API', () => {
  it('lists every training text, the student’s least sure first, with tokens and the student’s spans', async () => {
    const training = readFileSync(join(root, 'runs', 'ner', RUN_FILES.training), 'utf8')
      .trim()
      .split('\n');
    const { status, body } = await get('/api/runs/ner/span-review?limit=500');
    expect(status).toBe(200);
    const rows = body.rows as QueueRow[];
    expect(body.total).toBe(training.length);
    expect(rows).toHaveLength(training.length);
    expect(body.scoredBy).toBe('student');
    expect(body.types).toEqual(['city', 'person', 'product']);
    const conf = rows.map((r) => r.confidence!);
    expect(conf).toEqual([...conf].sort((a, b) => a - b));
    for (const r of rows) {
      expect(r.tokens.length).toBeGreaterThan(0);
      // The row's confidence is no higher than any of the student's spans'.
      for (const p of r.predicted!) expect(r.confidence!).toBeLessThanOrEqual(p.confidence);
    }
    expect(conf[0]).toBeLessThan(conf.at(-1)!);
  });

  it('stores a decision with its spans and the reviewer; undo takes it back', async () => {
    const { body } = await get('/api/runs/ner/span-review?limit=1');
    const row = (body.rows as QueueRow[])[0];
    const tok = row.tokens[0];
    const saved = await post('/api/runs/ner/span-corrections', {
      textId: row.textId,
      decision: 'relabel',
      spans: [{ start: tok.start, end: tok.end, type: 'city' }],
      reviewer: 'ana',
    });
    expect(saved.status).toBe(201);
    expect(saved.body.spans).toEqual([
      { start: tok.start, end: tok.end, type: 'city', text: row.text.slice(tok.start, tok.end) },
    ]);
    const file = join(root, 'runs', CORRECTIONS_FILE);
    expect(readSpanCorrections(file, task).spans.get(row.text)).toMatchObject({ reviewer: 'ana' });
    const again = await get('/api/runs/ner/span-review?limit=1');
    expect((again.body.rows as { correction: { reviewer: string } }[])[0].correction.reviewer).toBe('ana');
    const undo = await post('/api/runs/ner/corrections/undo', { reviewer: 'ana' });
    expect(undo.body.undone).toHaveLength(1);
    expect(readSpanCorrections(file, task).spans.size).toBe(0);
    // Stored at once: a studio started afresh over the same runs shows the decision.
    const edit = await post('/api/runs/ner/span-corrections', {
      textId: row.textId,
      decision: 'relabel',
      spans: [{ start: tok.start, end: tok.end, type: 'person' }],
      reviewer: 'cy',
    });
    expect(edit.status).toBe(201);
    const fresh = createStudio({
      runsDir: join(root, 'runs'),
      cachePath: join(root, 'cache.sqlite'),
      assets: async () => ({}),
    });
    try {
      const res = await fresh.app.request('/api/runs/ner/span-review?limit=1', { headers: { host: 'localhost:4173' } });
      const first = ((await res.json()) as { rows: { correction: { reviewer: string; spans: { type: string }[] } }[] })
        .rows[0];
      expect(first.correction).toMatchObject({ reviewer: 'cy', spans: [{ type: 'person' }] });
    } finally {
      await fresh.close();
    }
    expect((await post('/api/runs/ner/corrections/undo', { reviewer: 'cy' })).body.undone).toHaveLength(1);
    const reject = await post('/api/runs/ner/span-corrections', {
      textId: row.textId,
      decision: 'unusable',
      reviewer: 'bo',
    });
    expect(reject.status).toBe(201);
    expect([...readSpanCorrections(file, task).unusable]).toEqual([row.text]);
  });

  it('answers bad input with 4xx naming the field, and keeps serving', async () => {
    const { body } = await get('/api/runs/ner/span-review?limit=1');
    const row = (body.rows as QueueRow[])[0];
    const len = row.text.length;
    const bad = async (payload: unknown, status: number, match: RegExp) => {
      const r = await post('/api/runs/ner/span-corrections', payload);
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      expect(r.body.error).toMatch(match);
    };
    const base = { textId: row.textId, decision: 'relabel', reviewer: 'ana' };
    await bad(
      { ...base, spans: [{ start: 0, end: 2, type: 'planet' }] },
      400,
      /^spans\.0\.type: "planet" is not a type/,
    );
    await bad(
      { ...base, spans: [{ start: 0, end: len + 5, type: 'city' }] },
      400,
      /^spans\.0: .* not a range inside the text/,
    );
    await bad({ ...base, spans: [{ start: 3, end: 2, type: 'city' }] }, 400, /not a range/);
    await bad(
      {
        ...base,
        spans: [
          { start: 0, end: 4, type: 'city' },
          { start: 2, end: 6, type: 'person' },
        ],
      },
      400,
      /^spans\.1: overlaps/,
    );
    await bad({ ...base, decision: 'maybe' }, 400, /^decision:/);
    await bad({ ...base, reviewer: '' }, 400, /^reviewer:/);
    await bad({ ...base, spans: [{ start: -1, end: 2, type: 'city' }] }, 400, /^spans\.0\.start:/);
    await bad('{not json', 400, /textId/);
    await bad({ ...base, textId: 'nope' }, 404, /no training text with id nope/);
    expect((await get('/api/runs/ner/span-review?limit=0')).status).toBe(400);
    expect((await get('/api/runs/ner/span-review?offset=x')).status).toBe(400);
    expect((await get('/api/runs/nope/span-review')).status).toBe(404);
    expect((await get('/api/runs/labels/span-review')).status).toBe(409);
    // The label review's endpoint says where an extraction run's review is.
    const labels = await post('/api/runs/ner/corrections', { ...base, labels: ['city'] });
    expect(labels.status).toBe(409);
    expect(labels.body.hint).toContain('/span-corrections');
    expect((await get('/api/runs/ner/span-review?limit=2')).status).toBe(200);
  });
});

describe('extraction playground API', () => {
  it('predicts spans with type and confidence', async () => {
    const { status, body } = await post('/api/runs/ner/predict', {
      texts: ['yesterday Alan Turing bought a Walkman in São Paulo', ''],
    });
    expect(status).toBe(200);
    const [p, empty] = body.predictions;
    expect(p.spans.length).toBeGreaterThan(0);
    for (const s of p.spans) {
      expect(['city', 'person', 'product']).toContain(s.type);
      expect(s.confidence).toBeGreaterThan(0);
      expect(s.confidence).toBeLessThanOrEqual(1);
      expect(p.text.slice(s.start, s.end)).toBe(s.text);
    }
    expect(empty.spans).toEqual([]);
    expect((await post('/api/runs/ner/predict', { texts: [] })).status).toBe(400);
  });

  it('asks the extraction teacher through the cache and budget, shows the cost, and never sends the key', async () => {
    const taskFile = join(root, 'runs', 'ner', RUN_FILES.task);
    const t = JSON.parse(readFileSync(taskFile, 'utf8'));
    t.teacher = {
      model: 'openai-compatible:fake-model',
      baseUrl: llm.baseUrl,
      apiKeyEnv: KEY_ENV,
      maxRetries: 0,
      price: { inputPerMTok: 1, outputPerMTok: 2 },
    };
    t.budget = { answers: 3 };
    writeFileSync(taskFile, JSON.stringify(t));
    llm.clear();
    const first = await post('/api/runs/ner/teacher', { texts: ['Ada Lovelace met Alan Turing', 'nothing here'] });
    expect(first.status).toBe(200);
    expect(first.body.answers).toMatchObject([
      {
        text: 'Ada Lovelace met Alan Turing',
        spans: [
          { start: 0, end: 12, type: 'person', text: 'Ada Lovelace' },
          { start: 17, end: 28, type: 'person', text: 'Alan Turing' },
        ],
        cached: false,
      },
      { text: 'nothing here', spans: [], cached: false },
    ]);
    expect(first.body.answers[0].rejectedMentions[0].raw).toContain('Nobody Here');
    expect(first.body.answers[0].dollars).toBeGreaterThan(0);
    expect(first.body.cost.answers).toBe(2);
    expect(llm.requests).toHaveLength(2);
    expect(String(llm.requests[0].headers.authorization)).toContain(SECRET);

    const again = await post('/api/runs/ner/teacher', { texts: ['nothing here'] });
    expect(again.body.answers).toMatchObject([{ cached: true, dollars: 0 }]);
    expect(again.body.cost).toEqual({ dollars: 0, answers: 0 });
    expect(llm.requests).toHaveLength(2);

    const more = await post('/api/runs/ner/teacher', { texts: ['Grace Hopper', 'Linus Torvalds'] });
    expect(more.body.answers).toHaveLength(1);
    expect(more.body.stopped).toMatch(/budget|answers/i);
    const spent = await post('/api/runs/ner/teacher', { texts: ['Tim Berners'] });
    expect(spent.status).toBe(402);
    expect(llm.requests).toHaveLength(3);

    t.budget = { answers: 100 };
    writeFileSync(taskFile, JSON.stringify(t));
    mode = 'reject-key';
    try {
      const res = await post('/api/runs/ner/teacher', { texts: ['anything at all'] });
      expect(res.status).toBe(200);
      expect(res.body.answers).toEqual([]);
      expect(res.body.stopped).toMatch(/401|key/i);
    } finally {
      mode = 'answer';
    }
  });
});
