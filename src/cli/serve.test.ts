import { connect } from 'node:net';
import { request } from 'node:http';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempModels, trainTopicModel } from '../server/models.fixture.js';
import { runCli } from './cli-harness.js';
import { killServes, spawnServe } from './serve-harness.js';

const tmp = tempModels();
const TOKEN = 'tok-7d9f0c2e5b8a41f3a6c7e9d01b2c3d4e';

beforeAll(() => {
  trainTopicModel(path.join(tmp.dir, 'runs', 'support', 'model', 'student.bin'));
});
afterAll(() => {
  killServes();
  tmp.cleanup();
});

/** The worker processes of a cluster primary (Linux /proc). */
function childPids(pid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        // Workers run the same command; tsx's esbuild helper is a child too, and is not one.
        return (
          Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid &&
          readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('apprentice.mjs')
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** One request on its own connection (no keep-alive), so that requests spread over the workers. */
function postOnce(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/models/support/predict`, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', ...headers },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('apprentice serve (child process)', () => {
  it('refuses a model that is not there (exit 6) and a broken one (exit 6)', async () => {
    const missing = await runCli(['serve', 'runs/none'], { cwd: tmp.dir });
    expect(missing.code).toBe(6);
    expect(missing.stderr).toMatch(/model not found/);
    writeFileSync(path.join(tmp.dir, 'broken.bin'), 'not a model');
    const broken = await runCli(['serve', 'broken.bin', '--port', '0'], { cwd: tmp.dir });
    expect(broken.code).toBe(6);
    expect(broken.stderr).toMatch(/not an Apprentice model file/);
  });

  it('serves on every core, sums /metrics over the workers, replaces a worker that dies', async () => {
    const s = await spawnServe(['runs/support', '--port', '0', '--workers', '2'], { cwd: tmp.dir });
    try {
      expect(s.output()).toMatch(/2 workers; models: support/);
      for (let i = 0; i < 12; i++) expect((await postOnce(s.url, { texts: ['invoice', 'parcel'] })).status).toBe(200);
      const metrics = await (await fetch(`${s.url}/metrics`)).text();
      expect(metrics).toContain('apprentice_workers 2\n');
      expect(metrics).toContain('apprentice_predictions_total{model="support"} 24\n');
      expect(metrics).toContain('apprentice_http_requests_total{model="support",route="predict",status="200"} 12\n');

      // A worker that dies is replaced, and the server keeps answering meanwhile.
      const workers = childPids(s.child.pid!);
      expect(workers).toHaveLength(2);
      process.kill(workers[0], 'SIGKILL');
      await s.waitFor(/worker \d+ exited \(SIGKILL\); starting another/);
      for (let i = 0; i < 6; i++) expect((await postOnce(s.url, { texts: ['invoice'] })).status).toBe(200);
      for (;;) {
        const now = childPids(s.child.pid!);
        if (now.length === 2 && !now.includes(workers[0])) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      s.child.kill('SIGTERM');
      await s.exited;
    }
  });

  it('on SIGTERM finishes the request in flight, then exits 0', async () => {
    const s = await spawnServe(['runs/support', '--port', '0', '--workers', '2'], { cwd: tmp.dir });
    const { port } = new URL(s.url);
    const socket = connect(Number(port), '127.0.0.1');
    let response = '';
    socket.setEncoding('utf8').on('data', (d: string) => (response += d));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const body = JSON.stringify({ texts: ['my invoice is wrong', 'the courier lost my parcel'] });
    const half = Math.floor(body.length / 2);
    // A request whose body is still arriving: in flight when the signal comes.
    socket.write(
      `POST /v1/models/support/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, half)}`,
    );
    await new Promise((r) => setTimeout(r, 500));
    s.child.kill('SIGTERM');
    // Both workers: the connection may be on either, and one can take the signal before the other.
    await s.waitFor(/\[worker \d\] draining[\s\S]*\[worker \d\] draining/);
    expect(s.child.exitCode).toBeNull();
    socket.write(body.slice(half));
    await closed;
    expect(response).toMatch(/^HTTP\/1\.1 200/);
    expect(response.toLowerCase()).toContain('connection: close');
    const json = JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4));
    expect(json.predictions.map((p: { labels: string[] }) => p.labels[0])).toEqual(['billing', 'shipping']);
    expect(await s.exited).toEqual({ code: 0, signal: null });
    expect(s.output()).toMatch(/stopped after/);
  });

  it('refuses to bind a non-loopback address without APPRENTICE_SERVE_TOKEN', async () => {
    const r = await runCli(['serve', 'runs/support', '--host', '0.0.0.0', '--port', '0'], {
      cwd: tmp.dir,
      env: { APPRENTICE_SERVE_TOKEN: '' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/APPRENTICE_SERVE_TOKEN is not set/);
  });

  it('with the token: requires it on the API, leaves health probes open, never logs it', async () => {
    const s = await spawnServe(
      ['runs/support', '--host', '0.0.0.0', '--port', '0', '--workers', '2', '--log-format', 'json'],
      {
        cwd: tmp.dir,
        env: { APPRENTICE_SERVE_TOKEN: TOKEN },
      },
    );
    try {
      expect(s.output()).toContain('"auth":true');
      const texts = { texts: ['hello'] };
      const none = await postOnce(s.url, texts);
      expect(none.status).toBe(401);
      expect(JSON.parse(none.body).error.code).toBe('unauthorized');
      expect((await postOnce(s.url, texts, { authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
      expect((await postOnce(s.url, texts, { authorization: TOKEN })).status).toBe(401);
      expect((await postOnce(s.url, texts, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
      expect((await fetch(`${s.url}/metrics`)).status).toBe(401);
      expect((await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
      expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
      // Bad requests that carry the token in their body are answered without echoing it into the log.
      await postOnce(s.url, { texts: [TOKEN], oops: TOKEN }, { authorization: `Bearer ${TOKEN}` });
    } finally {
      s.child.kill('SIGTERM');
      await s.exited;
    }
    expect(s.output()).toMatch(/"type":"stopped"/);
    expect(s.output()).not.toContain(TOKEN);
    expect(s.output()).not.toContain(TOKEN.slice(4));
  });
});
