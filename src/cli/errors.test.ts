import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli, tempDir } from './cli-harness.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const file = (name: string, content: string) => {
  const p = path.join(tmp.dir, name);
  writeFileSync(p, content);
  return p;
};

const TASK = (extra: string) => `name: t
instruction: Sort each message into the right bucket.
labels: [a, b]
teacher:
  model: dataset:./labeled.jsonl
${extra}`;

file('labeled.jsonl', '{"text":"x one","label":"a"}\n{"text":"y two","label":"b"}\n');

/** One message, no stack trace, and an exit code that means something. */
function expectCleanError(stderr: string): void {
  expect(stderr).toMatch(/^error: /m);
  expect(stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
}

describe('errors and exit codes', () => {
  it('a bad task file exits 2 and names the field', async () => {
    file(
      'bad.yaml',
      'name: t\ninstruction: Sort each message into the right bucket.\nlabels: [only-one]\nteacher:\n  model: dataset:./labeled.jsonl\n',
    );
    const r = await runCli(['distill', 'bad.yaml', '--out', 'out', '--cache', 'c.sqlite'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expectCleanError(r.stderr);
    expect(r.stderr).toContain('labels');
    expect(r.stdout).toBe('');
  });

  it('a misspelled key exits 2 and says so', async () => {
    file('typo.yaml', TASK('budgt:\n  answers: 10\n'));
    const r = await runCli(['distill', 'typo.yaml', '--out', 'out', '--cache', 'c.sqlite'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('budgt');
  });

  it('a missing pool file exits 2 and names the file', async () => {
    file('nopool.yaml', TASK('pool: ./missing-pool.jsonl\n'));
    const r = await runCli(['distill', 'nopool.yaml', '--out', 'out', '--cache', 'c.sqlite'], { cwd: tmp.dir });
    expect([2, 3]).toContain(r.code);
    expectCleanError(r.stderr);
    expect(r.stderr).toContain('missing-pool.jsonl');
  });

  it('a missing task file is a usage error naming it', async () => {
    const r = await runCli(['distill', 'nope.yaml'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope.yaml');
  });

  it('bad flags exit 2', async () => {
    expect((await runCli(['distill', 'x.yaml', '--budget-answers', 'lots'], { cwd: tmp.dir })).code).toBe(2);
    expect((await runCli(['distill', 'x.yaml', '--no-such-flag'], { cwd: tmp.dir })).code).toBe(2);
    expect((await runCli(['frobnicate'], { cwd: tmp.dir })).code).toBe(2);
    expect((await runCli(['predict', 'model'], { cwd: tmp.dir })).code).toBe(2);
  });

  it('--help and --version exit 0 and list the exit codes', async () => {
    const help = await runCli(['--help'], { cwd: tmp.dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes');
    expect((await runCli(['--version'], { cwd: tmp.dir })).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('a missing model exits 6', async () => {
    file('texts.txt', 'hello\n');
    const r = await runCli(['predict', 'no-model-here', '--input', 'texts.txt'], { cwd: tmp.dir });
    expect(r.code).toBe(6);
    expectCleanError(r.stderr);
    expect(r.stderr).toContain('no-model-here');
  });

  it('a corrupt model file exits 6', async () => {
    file('junk.bin', 'this is not a model');
    const r = await runCli(['predict', 'junk.bin', '--input', 'texts.txt'], { cwd: tmp.dir });
    expect(r.code).toBe(6);
    expectCleanError(r.stderr);
  });

  it('a corrupt teacher cache exits 7 (not 1, the "bug" code), naming the file and what to do', async () => {
    file('pool.jsonl', '{"text":"x one"}\n{"text":"y two"}\n');
    file('cache-task.yaml', TASK('pool: ./pool.jsonl\n'));
    file('corrupt.sqlite', 'this is not a SQLite database, just text where the cache should be\n'.repeat(20));
    const r = await runCli(['distill', 'cache-task.yaml', '--out', 'out-cache', '--cache', 'corrupt.sqlite'], {
      cwd: tmp.dir,
    });
    expect(r.code, r.stderr).toBe(7);
    expectCleanError(r.stderr);
    expect(r.stderr).toContain('corrupt.sqlite');
    expect(r.stderr).toMatch(/^ {2}hint: .*corrupt\.sqlite/m);
  });

  it('a malformed labeled file exits 3 with file:line', async () => {
    file('broken.jsonl', '{"text":"fine","label":"a"}\n{"text": oops}\n');
    const r = await runCli(['train', 'broken.jsonl', '--out', 'm'], { cwd: tmp.dir });
    expect(r.code).toBe(3);
    expectCleanError(r.stderr);
    expect(r.stderr).toContain('broken.jsonl:2');
  });

  it('APPRENTICE_DEBUG=1 adds the stack trace', async () => {
    const r = await runCli(['train', 'broken.jsonl', '--out', 'm'], { cwd: tmp.dir, env: { APPRENTICE_DEBUG: '1' } });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/\n\s+at /);
  });
});
