import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempModels, trainTopicModel } from '../server/models.fixture.js';
import { REPO_ROOT } from './cli-harness.js';
import { killServes, type ServeChild, spawnServe } from './serve-harness.js';

const run = promisify(execFile);
const TOKEN = 'docs-test-token-0123456789abcdef';

/** The curl commands in a markdown text's ```sh blocks, backslash continuations joined. */
function curlCommands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
  return blocks
    .flatMap((b) => b.replace(/\\\n\s*/g, ' ').split('\n'))
    .map((l) => l.trim())
    .filter((l) => l.startsWith('curl '));
}

/** README's "### Serve" subsection only: the rest of Deploy belongs to other commands. */
function readmeServe(): string {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('### Serve');
  expect(start).toBeGreaterThan(0);
  const end = readme.slice(start + 1).search(/\n##/);
  return readme.slice(start, end < 0 ? undefined : start + 1 + end);
}

const tmp = tempModels();
let open: ServeChild;
let guarded: ServeChild;

beforeAll(async () => {
  trainTopicModel(path.join(tmp.dir, 'runs', 'support', 'model', 'student.bin'));
  // The docs' server (runs/support on 127.0.0.1:8080) twice, on free ports: without and with a token.
  [open, guarded] = await Promise.all([
    spawnServe(['runs/support', '--port', '0', '--workers', '1'], {
      cwd: tmp.dir,
      env: { APPRENTICE_SERVE_TOKEN: '' },
    }),
    spawnServe(['runs/support', '--port', '0', '--workers', '1'], {
      cwd: tmp.dir,
      env: { APPRENTICE_SERVE_TOKEN: TOKEN },
    }),
  ]);
});
afterAll(async () => {
  for (const s of [open, guarded]) s?.child.kill('SIGTERM');
  await Promise.all([open?.exited, guarded?.exited]);
  killServes();
  tmp.cleanup();
});

const docs = curlCommands(readFileSync(path.join(REPO_ROOT, 'docs', 'serve.md'), 'utf8'));

const hasCurl = spawnSync('curl', ['--version']).status === 0;

describe.skipIf(!hasCurl)(
  `the curl commands in docs/serve.md and the README work as written${hasCurl ? '' : ' (skipped: no curl on PATH)'}`,
  () => {
    it('finds them (so that this test cannot pass by finding none)', () => {
      expect(docs.length).toBeGreaterThanOrEqual(7);
      expect(curlCommands(readmeServe()).length).toBeGreaterThanOrEqual(1);
    });

    it.each([...docs, ...curlCommands(readmeServe())])('%s', async (command) => {
      const server = command.includes('$APPRENTICE_SERVE_TOKEN') ? guarded : open;
      const here = command.replaceAll('http://127.0.0.1:8080', server.url);
      expect(here).not.toBe(command);
      const { stdout } = await run('bash', ['-c', here], {
        env: { ...process.env, APPRENTICE_SERVE_TOKEN: TOKEN },
      });
      if (command.includes('/metrics')) expect(stdout).toContain('# TYPE apprentice_http_requests_total counter');
      else {
        const json = JSON.parse(stdout);
        // `--fail-with-body` marks the commands shown succeeding; the others show an error body.
        if (command.includes('--fail-with-body')) expect(json.error).toBeUndefined();
        else if (command.includes('/predict')) expect(json.error.code).toEqual(expect.any(String));
      }
    });
  },
);
