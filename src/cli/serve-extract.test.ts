import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempModels, trainSpanModel, trainTopicModel } from '../server/models.fixture.js';
import { killServes, spawnServe } from './serve-harness.js';

const tmp = tempModels();

beforeAll(() => {
  trainSpanModel(path.join(tmp.dir, 'runs', 'ner', 'model', 'student.bin'));
  trainTopicModel(path.join(tmp.dir, 'runs', 'support', 'model', 'student.bin'));
});
afterAll(() => {
  killServes();
  tmp.cleanup();
});

describe('apprentice serve with an extraction model', () => {
  it('serves spans and labels side by side from two run directories, then stops on SIGTERM', async () => {
    const s = await spawnServe(['runs/ner', 'runs/support', '--port', '0', '--workers', '1'], { cwd: tmp.dir });
    try {
      const text = 'yesterday Ada Lovelace bought a Kindle in Tokyo';
      const r = await fetch(`${s.url}/v1/models/ner/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ texts: [text] }),
      });
      expect(r.status).toBe(200);
      const { predictions } = (await r.json()) as any;
      expect(predictions[0].spans.map((x: any) => [x.type, text.slice(x.start, x.end)])).toEqual([
        ['person', 'Ada Lovelace'],
        ['product', 'Kindle'],
        ['city', 'Tokyo'],
      ]);
      const bad = await fetch(`${s.url}/v1/models/ner/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ texts: 'not a list' }),
      });
      expect(bad.status).toBe(400);
      const clf = await fetch(`${s.url}/v1/models/support/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ texts: ['my invoice is wrong'] }),
      });
      expect(((await clf.json()) as any).predictions[0].labels).toHaveLength(1);
    } finally {
      s.child.kill('SIGTERM');
    }
    expect((await s.exited).code).toBe(0);
  });
});
