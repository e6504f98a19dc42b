import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../..');
const root = mkdtempSync(join(tmpdir(), 'apprentice-index-kill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** What the temp directory holds besides tsx's cache (the child runs the TypeScript sources). */
const leftIn = (dir: string) => readdirSync(dir).filter((name) => !name.startsWith('tsx-'));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Opens the FIFO for writing once the child has opened it for reading (it is then indexing). */
async function openWhenRead(fifo: string, exited: () => boolean): Promise<number> {
  for (let tries = 0; tries < 600; tries++) {
    try {
      return openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENXIO' || exited()) throw e;
      await sleep(50);
    }
  }
  throw new Error('the child never opened the pool file');
}

// A named pipe as the data file holds the child in the middle of indexing for as long as the
// test wants: it has read some rows and waits for more.
describe.skipIf(process.platform !== 'linux')('index temp files (a process killed while indexing)', () => {
  for (const [kind, module] of [
    ['PoolIndex', 'pool-index.ts'],
    ['LabeledIndex', 'labeled-index.ts'],
  ] as const) {
    it(`leaves nothing in the temp directory: ${kind}`, async () => {
      const dir = join(root, kind);
      const temp = join(dir, 'tmp');
      mkdirSync(temp, { recursive: true });
      const fifo = join(dir, 'pool.jsonl');
      expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
      const code = `import { ${kind} } from ${JSON.stringify(join(repo, 'src/read', module))}; ${kind}.build(process.env.POOL);`;
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
        cwd: repo,
        env: { ...process.env, POOL: fifo, TMPDIR: temp, SQLITE_TMPDIR: temp },
        stdio: 'ignore',
      });
      let exited = false;
      const done = new Promise<void>((r) => child.on('exit', () => r()));
      child.on('exit', () => {
        exited = true;
      });
      try {
        const fd = await openWhenRead(fifo, () => exited);
        const rows = Array.from({ length: 200 }, (_, i) => JSON.stringify({ text: `message ${i}`, label: 'a' }));
        writeSync(fd, `${rows.join('\n')}\n`);
        await sleep(300);
        expect(exited).toBe(false);
        // Mid-build: an index in a directory of its own would show here.
        expect(leftIn(temp)).toEqual([]);
        child.kill('SIGKILL');
        await done;
        closeSync(fd);
        expect(leftIn(temp)).toEqual([]);
      } finally {
        if (!exited) child.kill('SIGKILL');
      }
    });
  }
});
