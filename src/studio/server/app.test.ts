import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeLlmPerTest } from '../../../test/fake-llm/index.js';
import { writeFakeLlmTask } from '../../../test/reliability/support/topic-task.js';
import { readRunStatus } from '../../run/run-files.js';
import { createStudio, type Studio } from './app.js';
import { writeBigRun } from './big-run.fixture.js';
import { startStudio } from './start.js';

const TASK = resolve('examples/support-routing/task.yaml');
let root: string;
let studio: Studio;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'studio-app-'));
  writeBigRun(join(root, 'big'), 300);
  studio = createStudio({ runsDir: root, cachePath: join(root, 'cache.sqlite'), assets: async () => ({}) });
});
afterAll(async () => {
  await studio.close();
  rmSync(root, { recursive: true, force: true });
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  studio.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', host: 'localhost:4173', ...headers },
    body: JSON.stringify(body),
  });

describe('studio API', () => {
  it('lists runs and answers unknown or unsafe run names with 404', async () => {
    const list = (await (await studio.app.request('/api/runs')).json()) as { runs: { name: string }[] };
    expect(list.runs.map((r) => r.name)).toEqual(['big']);
    for (const name of ['nope', '..', '.studio', '%2e%2e%2fetc'])
      expect((await studio.app.request(`/api/runs/${name}/rows`)).status).toBe(404);
  });

  it('answers bad query and body values with 400 naming the field', async () => {
    const res = await studio.app.request('/api/runs/big/rows?limit=99999');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/limit/);
    const bad = await post('/api/runs/big/corrections', { textId: 'x', decision: 'maybe', reviewer: 'a' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/decision/);
    const empty = await post('/api/runs/big/corrections', {
      textId: 'x',
      decision: 'relabel',
      labels: [],
      reviewer: 'a',
    });
    expect(empty.status).toBe(404);
  });

  it('refuses a cross-origin request to start a run, and starts nothing', async () => {
    const before = readdirSync(root).sort();
    const evil = await post('/api/runs', { taskFile: TASK, confirm: true }, { origin: 'http://evil.example' });
    expect(evil.status).toBe(403);
    const site = await post('/api/runs', { taskFile: TASK, confirm: true }, { 'sec-fetch-site': 'cross-site' });
    expect(site.status).toBe(403);
    const corr = await post(
      '/api/runs/big/corrections/undo',
      { reviewer: 'a' },
      { origin: 'http://localhost.evil.example:4173' },
    );
    expect(corr.status).toBe(403);
    expect(readdirSync(root).sort()).toEqual(before);
  });

  it('"Retrain now": 404 for an unknown run, 403 from another origin, 400 with the reason for a run without gold rows', async () => {
    expect((await post('/api/runs/nope/retrain', {})).status).toBe(404);
    const before = readdirSync(root).sort();
    expect((await post('/api/runs/big/retrain', {}, { origin: 'http://evil.example' })).status).toBe(403);
    const res = await post('/api/runs/big/retrain', {});
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/retrain failed: .*no gold rows to score on/);
    expect(readdirSync(root).sort()).toEqual(before);
  });

  it('stores a same-origin correction and refuses a bulk action whose count changed', async () => {
    const page = (await (await studio.app.request('/api/runs/big/rows?limit=1')).json()) as {
      rows: { textId: string; labels: string[] }[];
    };
    const ok = await post(
      '/api/runs/big/corrections',
      { textId: page.rows[0].textId, decision: 'relabel', labels: ['cooking'], reviewer: 'ana' },
      { origin: 'http://localhost:4173', 'sec-fetch-site': 'same-origin' },
    );
    expect(ok.status).toBe(201);
    const bulk = await post('/api/runs/big/corrections/bulk', {
      filter: { source: 'seed' },
      decision: 'unusable',
      reviewer: 'ana',
      expect: 1_000_000,
    });
    expect(bulk.status).toBe(409);
    expect(((await bulk.json()) as { error: string }).error).toMatch(/matches \d+ rows/);
  });
});

describe('runs started from the studio', () => {
  const t = fakeLlmPerTest('studio-run-');

  it('a paid run needs its plan confirmed; it runs as its own process and Stop ends it cleanly (run.json: interrupted)', async () => {
    // The teacher never answers: only Stop can end this run, so a Stop that did nothing fails the test.
    let requests = 0;
    const fake = await t.start(() => {
      requests += 1;
      return { kind: 'hang' };
    });
    const { taskPath } = writeFakeLlmTask(t.dir, {
      baseUrl: fake.baseUrl,
      concurrency: 1,
      teacher: { price: { inputPerMTok: 5, outputPerMTok: 15 }, timeoutMs: 600_000 },
    });
    const unconfirmed = await post('/api/runs', { taskFile: taskPath, confirm: false });
    expect(unconfirmed.status).toBe(409);
    const refusal = (await unconfirmed.json()) as { plan: { dollars: { online: number } } };
    expect(refusal.plan.dollars.online).toBeGreaterThan(0);
    expect(requests).toBe(0);

    const started = await post('/api/runs', { taskFile: taskPath, confirm: true });
    expect(started.status).toBe(201);
    const { name } = (await started.json()) as { name: string };
    expect(readRunStatus(join(root, name))?.status).toBe('running');
    const listed = (await (await studio.app.request('/api/runs')).json()) as {
      runs: { name: string; live: boolean }[];
    };
    expect(listed.runs.find((r) => r.name === name)?.live).toBe(true);
    await vi.waitFor(() => expect(requests).toBeGreaterThan(0), { timeout: 60_000, interval: 100 });

    expect((await post(`/api/runs/${name}/stop`, {})).status).toBe(200);
    await vi.waitFor(() => expect(readRunStatus(join(root, name))?.status).toBe('failed'), {
      timeout: 60_000,
      interval: 200,
    });
    expect(readRunStatus(join(root, name))?.error?.code).toBe('interrupted');
    // Stopping again, or a run this studio did not start, is refused.
    await vi.waitFor(async () => expect((await post(`/api/runs/${name}/stop`, {})).status).toBe(409), {
      timeout: 30_000,
    });
    expect((await post('/api/runs/big/stop', {})).status).toBe(409);
    rmSync(join(root, name), { recursive: true, force: true });
  }, 180_000);
});

describe('studio binding', () => {
  it('refuses to listen off loopback without a token', async () => {
    await expect(
      startStudio({ runsDir: root, cachePath: join(root, 'c.sqlite'), host: '0.0.0.0', port: 0 }),
    ).rejects.toThrow(/APPRENTICE_STUDIO_TOKEN|token/);
  });

  it('with a token, refuses requests without it and accepts the bearer or the cookie', async () => {
    const s = await startStudio({
      runsDir: root,
      cachePath: join(root, 'c.sqlite'),
      host: '127.0.0.1',
      port: 0,
      token: 's3cret-token',
    });
    try {
      expect((await fetch(`${s.url}api/runs`)).status).toBe(401);
      expect((await fetch(`${s.url}api/runs`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      expect((await fetch(`${s.url}api/runs`, { headers: { authorization: 'Bearer s3cret-token' } })).status).toBe(200);
      const first = await fetch(`${s.url}?token=s3cret-token`);
      const cookie = first.headers.get('set-cookie')!.split(';')[0];
      expect(cookie).toMatch(/^apprentice_studio_token=/);
      expect((await fetch(`${s.url}api/runs`, { headers: { cookie } })).status).toBe(200);
      // Loopback studio: a rebound DNS name in Host is refused (fetch will not set Host; http will).
      const status = (host: string) =>
        new Promise<number>((res, rej) =>
          request({ host: '127.0.0.1', port: s.port, path: '/api/runs', headers: { cookie, host } }, (r) => {
            r.resume();
            res(r.statusCode ?? 0);
          })
            .on('error', rej)
            .end(),
        );
      expect(await status(`evil.example:${s.port}`)).toBe(403);
      expect(await status(`localhost:${s.port}`)).toBe(200);
    } finally {
      await s.close();
    }
  });
});
