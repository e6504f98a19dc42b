import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeEvent } from './events.js';
import { type RunningServer, startServer } from './server.js';
import { tempModels, trainTopicModel } from './models.fixture.js';

const tmp = tempModels();
const file = path.join(tmp.dir, 'support', 'model', 'student.bin');
const events: ServeEvent[] = [];
let server: RunningServer;

beforeAll(async () => {
  trainTopicModel(file);
  server = await startServer({
    models: [{ name: 'support', file }],
    host: '127.0.0.1',
    port: 0,
    reloadIntervalMs: 50,
    onEvent: (e) => events.push(e),
  });
});
afterAll(async () => {
  await server?.close();
  tmp.cleanup();
});

async function info(): Promise<{ labels: string[]; sha256: string; reload_error?: string }> {
  return (await (await fetch(`${server.url}/v1/models/support`)).json()) as any;
}

async function predict(): Promise<{ sha: string | null; labels: string[] }> {
  const r = await fetch(`${server.url}/v1/models/support/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ texts: ['password reset link'], top_k: 10 }),
  });
  expect(r.status).toBe(200);
  const body = (await r.json()) as any;
  return {
    sha: r.headers.get('x-apprentice-model-sha256'),
    labels: body.predictions[0].scores.map((s: any) => s.label),
  };
}

/** Polls until `ok`; bounded by the test timeout, not a wall-clock assertion (a slow machine only waits longer). */
async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What a deploy script does: write beside, then rename over (atomic on POSIX). */
function replaceAtomically(bytes: Uint8Array): void {
  const tmpFile = `${file}.new`;
  writeFileSync(tmpFile, bytes);
  renameSync(tmpFile, file);
}

describe('hot reload', () => {
  it('picks up a model replaced atomically on disk, without a restart', async () => {
    const before = await info();
    expect(before.labels).toHaveLength(4);
    const replacement = path.join(tmp.dir, 'next', 'student.bin');
    trainTopicModel(replacement, { seed: 5, labels: ['billing', 'shipping'] });
    replaceAtomically(readFileSync(replacement));
    const after = await until(info, (i) => i.sha256 !== before.sha256);
    expect(after.labels).toEqual(['billing', 'shipping']);
    expect(after.reload_error).toBeUndefined();
    const p = await predict();
    expect(p.sha).toBe(after.sha256);
    expect(p.labels.sort()).toEqual(['billing', 'shipping']);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'model-reloaded', model: 'support', sha256: after.sha256 }),
    );
  });

  it('refuses a broken replacement and keeps serving the previous model', async () => {
    const serving = await info();
    const good = readFileSync(file);
    // A truncated copy: what a crashed copy or a half-finished upload leaves.
    replaceAtomically(good.subarray(0, Math.floor(good.length / 2)));
    const refused = await until(info, (i) => i.reload_error !== undefined);
    expect(refused.reload_error).toMatch(/checksum|truncated|corrupt|past the end/);
    expect(refused.sha256).toBe(serving.sha256);
    const p = await predict();
    expect(p.sha).toBe(serving.sha256);
    expect(p.labels.sort()).toEqual(['billing', 'shipping']);
    expect(events).toContainEqual(expect.objectContaining({ type: 'model-reload-refused', model: 'support' }));
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('apprentice_model_reloads_total{model="support",result="refused"} 1');

    // Not an Apprentice model at all.
    replaceAtomically(new TextEncoder().encode('{"not": "a model"}'));
    await until(
      async () => events.filter((e) => e.type === 'model-reload-refused').length,
      (n) => n >= 2,
    );
    expect((await predict()).sha).toBe(serving.sha256);

    // A good file afterwards is loaded and clears the error.
    const third = path.join(tmp.dir, 'third', 'student.bin');
    trainTopicModel(third, { seed: 9 });
    replaceAtomically(readFileSync(third));
    const back = await until(info, (i) => i.sha256 !== serving.sha256);
    expect(back.labels).toHaveLength(4);
    expect(back.reload_error).toBeUndefined();
  });
});
