import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLlm, fakeTeacher, httpError, startFakeLlm } from '../../../test/fake-llm/index.js';
import { RUN_FILES } from '../../run/run-files.js';
import { TOPIC_LABELS } from '../../student/synthetic-topics.js';
import { createStudio, type Studio } from './app.js';
import { writeBigRun } from './big-run.fixture.js';

const SECRET = 'sk-studio-THIS-KEY-MUST-NEVER-REACH-THE-BROWSER-42';
const KEY_ENV = 'STUDIO_PLAYGROUND_TEST_KEY';
let root: string;
let studio: Studio;
let llm: FakeLlm;
let mode: 'answer' | 'reject-key' = 'answer';

/** Points the run at the fake provider, priced, with a small answer cap for the playground to hit. */
function writeTask(run: string, answers: number): void {
  const task = {
    name: 'topics',
    instruction: 'Say which topic each text is about.',
    labels: TOPIC_LABELS.map((name) => ({ name })),
    multiLabel: false,
    seeds: [],
    teacher: {
      model: 'openai-compatible:fake-model',
      baseUrl: llm.baseUrl,
      apiKeyEnv: KEY_ENV,
      maxRetries: 0,
      price: { inputPerMTok: 1, outputPerMTok: 2 },
    },
    budget: { answers },
    seed: 7,
  };
  writeFileSync(join(root, run, RUN_FILES.task), JSON.stringify(task));
}

beforeAll(async () => {
  process.env[KEY_ENV] = SECRET;
  llm = await startFakeLlm((req) => {
    if (mode === 'reject-key')
      // Providers echo (part of) the key back in 401 bodies.
      return httpError(401, `Incorrect API key provided: ${String(req.headers.authorization ?? '')}`);
    return fakeTeacher({ answer: (text) => (/goal|striker/.test(text) ? 'sports' : 'cooking') })(req);
  });
  root = mkdtempSync(join(tmpdir(), 'studio-playground-'));
  writeBigRun(join(root, 'big'), 200);
  writeTask('big', 3);
  writeBigRun(join(root, 'nokey'), 50);
  writeTask('nokey', 100);
  studio = createStudio({ runsDir: root, cachePath: join(root, 'cache.sqlite'), assets: async () => ({}) });
});
afterAll(async () => {
  await studio.close();
  await llm.stop();
  delete process.env[KEY_ENV];
  rmSync(root, { recursive: true, force: true });
});

const post = async (path: string, body: unknown) => {
  const res = await studio.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', host: 'localhost:4173' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  // Whatever the answer, the teacher's key is not in it.
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain('NEVER-REACH');
  return { status: res.status, body: JSON.parse(text) };
};

describe('playground: the student explained', () => {
  it('returns per likely label the n-grams that pushed it up and down, by their text', async () => {
    const { status, body } = await post('/api/runs/big/predict', {
      texts: ['the striker scored a late goal in the stadium', 'simmer the garlic in butter'],
    });
    expect(status).toBe(200);
    const [sports, cooking] = body.predictions;
    expect(sports.labels).toEqual(['sports']);
    expect(cooking.labels).toEqual(['cooking']);
    expect(sports.explain).toHaveLength(3);
    const top = sports.explain[0];
    expect(top.label).toBe('sports');
    expect(top.positive.length).toBeGreaterThan(0);
    expect(top.positive.map((f: { feature: string }) => f.feature).join(' ')).toMatch(/striker|goal|stadium/);
    for (const f of top.positive) expect(f.weight).toBeGreaterThan(0);
    for (const f of top.negative) expect(f.weight).toBeLessThan(0);
    // The top label's logit beats the others': that is what made it the prediction.
    expect(top.logit).toBeGreaterThan(sports.explain[1].logit);
  });

  it('answers bad bodies with 400', async () => {
    expect((await post('/api/runs/big/predict', { texts: [] })).status).toBe(400);
    expect((await post('/api/runs/big/teacher', { texts: [''] })).status).toBe(400);
    expect((await post('/api/runs/nope/teacher', { texts: ['x'] })).status).toBe(404);
  });
});

describe('playground: the teacher beside it', () => {
  it('asks through the cache and budget, shows the cost, and never sends the key to the page', async () => {
    llm.clear();
    const first = await post('/api/runs/big/teacher', { texts: ['a header from the striker', 'fresh flour'] });
    expect(first.status).toBe(200);
    expect(first.body.answers).toMatchObject([
      { text: 'a header from the striker', labels: ['sports'], cached: false },
      { text: 'fresh flour', labels: ['cooking'], cached: false },
    ]);
    expect(first.body.answers[0].dollars).toBeGreaterThan(0);
    expect(first.body.cost.answers).toBe(2);
    expect(first.body.cost.dollars).toBeCloseTo(first.body.answers[0].dollars + first.body.answers[1].dollars, 10);
    expect(llm.requests).toHaveLength(2);
    // The key went to the provider, from the server.
    expect(String(llm.requests[0].headers.authorization)).toContain(SECRET);

    // Asked again: the cache answers and nothing is paid.
    const again = await post('/api/runs/big/teacher', { texts: ['fresh flour'] });
    expect(again.body.answers).toMatchObject([{ labels: ['cooking'], cached: true, dollars: 0 }]);
    expect(again.body.cost).toEqual({ dollars: 0, answers: 0 });
    expect(llm.requests).toHaveLength(2);

    // The task allows 3 answers: the third paid text is the last one.
    const more = await post('/api/runs/big/teacher', { texts: ['the referee', 'the coach'] });
    expect(more.status).toBe(200);
    expect(more.body.answers).toHaveLength(1);
    expect(more.body.stopped).toMatch(/budget|answers/i);
    expect(more.body.spent.answers).toBe(3);
    const spent = await post('/api/runs/big/teacher', { texts: ['the league'] });
    expect(spent.status).toBe(402);
    expect(spent.body.error).toMatch(/spent this run's teacher budget \(3 answers\)/);
    // Refused before asking: no request left for the provider.
    expect(llm.requests).toHaveLength(3);
  });

  it('a provider that echoes the key in its error does not get it to the page', async () => {
    mode = 'reject-key';
    try {
      const res = await post('/api/runs/nokey/teacher', { texts: ['anything at all'] });
      expect(res.status).toBe(200);
      expect(res.body.answers).toEqual([]);
      expect(res.body.stopped).toMatch(/401|key/i);
    } finally {
      mode = 'answer';
    }
  });
});
