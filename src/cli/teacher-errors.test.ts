import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli, tempDir } from './cli-harness.js';

const SECRET = 'sk-test-THIS-MUST-NEVER-BE-PRINTED-0123456789';
const tmp = tempDir();
let server: Server;
let baseUrl = '';
let mode: 'reject-key' | 'hang' = 'reject-key';
let requests = 0;
let seenRequest: () => void = () => {};
const hanging: ServerResponse[] = [];

function handle(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  requests++;
  seenRequest();
  if (mode === 'hang') {
    hanging.push(res);
    return;
  }
  // Providers echo (part of) the key back in 401 bodies; the CLI must not pass it on.
  res.writeHead(401, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      error: {
        message: `Incorrect API key provided: ${req.headers.authorization ?? ''}`,
        type: 'invalid_request_error',
      },
    }),
  );
}

/**
 * The default attempt timeout is far past the test timeout: Ctrl-C has to cancel the request in
 * flight, and a run that instead waited for the attempt to time out would fail, not pass slowly.
 */
function task(name: string, timeoutMs = 600_000): string {
  const file = path.join(tmp.dir, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}
instruction: Decide whether each message is about animals or about cars.
labels: [animals, cars]
pool: ./pool.txt
teacher:
  model: openai-compatible:fake-model
  baseUrl: ${baseUrl}
  apiKeyEnv: TEST_TEACHER_KEY
  maxRetries: 0
  maxOutputRetries: 0
  timeoutMs: ${timeoutMs}
budget:
  answers: 40
loop:
  initialLabels: 20
  initialGeneratePerLabel: 0
  validationSize: 10
`,
  );
  return file;
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  const texts = Array.from({ length: 60 }, (_, i) =>
    i % 2 ? `my car number ${i} needs new tyres` : `the cat number ${i} chased a bird`,
  );
  writeFileSync(path.join(tmp.dir, 'pool.txt'), `${texts.join('\n')}\n`);
});
afterAll(async () => {
  for (const res of hanging) res.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  tmp.cleanup();
});

describe('teacher failures', () => {
  it('a rejected API key exits 4 and never prints the key', async () => {
    mode = 'reject-key';
    const r = await runCli(['distill', task('rejected', 5000), '--out', 'run-rejected', '--cache', 'c.sqlite'], {
      cwd: tmp.dir,
      env: { TEST_TEACHER_KEY: SECRET },
    });
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/^error: /m);
    expect(r.stderr + r.stdout).not.toContain(SECRET);
    expect(r.stderr + r.stdout).not.toContain('THIS-MUST-NEVER');
  });

  it('Ctrl-C during a teacher call exits 130', async () => {
    mode = 'hang';
    let sent = false;
    requests = 0;
    const r = await runCli(['distill', task('hang'), '--out', 'run-hang', '--cache', 'c.sqlite'], {
      cwd: tmp.dir,
      env: { TEST_TEACHER_KEY: SECRET },
      onSpawn: (child) => {
        seenRequest = () => {
          if (sent) return;
          sent = true;
          child.kill('SIGINT');
        };
      },
    });
    expect(sent, r.stderr).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain('interrupted');
    // Stopped, not retried: the one request was the only one.
    expect(requests).toBe(1);
    const run = JSON.parse(readFileSync(path.join(tmp.dir, 'run-hang', 'run.json'), 'utf8'));
    expect(run).toMatchObject({ status: 'failed', error: { code: 'interrupted' } });
  });
});
