import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, tempDir } from '../../src/cli/cli-harness.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH, chromiumMissing } from '../browser/chromium.js';

/**
 * Runs the README's Deploy section as written: every `sh` line, in order, in a temp directory
 * (`node bin/apprentice.mjs` is this checkout's bin), and both `js` snippets: the Node one against
 * the library, the browser one in headless Chromium from the served folder. The package lines
 * (`npm pack`, installing the tarball) are run by .ci/run through test/package/check-package.sh.
 */
const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
// From "## Deploy" to "### Serve" (the server's part, run by its own tests) or the next section.
const deployAt = readme.indexOf('\n## Deploy\n');
const ends = [readme.indexOf('\n### Serve', deployAt), readme.indexOf('\n## ', deployAt + 5)].filter((i) => i > 0);
const section = readme.slice(deployAt, Math.min(...ends));
const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], code: m[2] }));
const shLines = blocks
  .filter((b) => b.lang === 'sh')
  .flatMap((b) => b.code.split('\n'))
  .map((l) => l.trim())
  .filter((l) => l !== '');
const jsBlocks = blocks.filter((b) => b.lang === 'js').map((b) => b.code);
const PACKAGE_CHECK = readFileSync(path.join(REPO_ROOT, 'test', 'package', 'check-package.sh'), 'utf8');
const pythonMissing = (() => {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'SKIPPED: python3 not found; the README serves the page with python3 -m http.server';
  }
})();
const browserMissing = chromiumMissing();

const tmp = tempDir('apprentice-readme-');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill();
  tmp.cleanup();
});

/** `python3 -m http.server 8000 …` on a free port instead; resolves its base URL. */
function startHttpServer(line: string): Promise<string> {
  const args = line
    .split(/\s+/)
    .slice(1)
    .map((a) => (a === '8000' ? '0' : a));
  const child = spawn('python3', args, { cwd: tmp.dir, env: { ...process.env, PYTHONUNBUFFERED: '1' } });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = out.match(/port (\d+)/);
      if (m) resolve(`http://127.0.0.1:${m[1]}/`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`http.server exited ${code}: ${out}`)));
  });
}

describe.skipIf(pythonMissing)(pythonMissing ?? 'README Deploy section, run as written', () => {
  it('has the commands this test expects', () => {
    expect(shLines).toContain('npm run demo');
    expect(shLines.some((l) => l.startsWith('python3 -m http.server'))).toBe(true);
    expect(jsBlocks).toHaveLength(2);
  });

  let baseUrl = '';
  it('every sh line runs and succeeds', async () => {
    for (const line of shLines) {
      if (line === 'npm pack') {
        expect(PACKAGE_CHECK).toContain('npm pack');
      } else if (line === 'npm run demo') {
        // The demo script, from the temp directory: its example path made absolute.
        const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
        const args = (pkg.scripts.demo as string)
          .split(/\s+/)
          .slice(2)
          .map((a) => (a.startsWith('examples/') ? path.join(REPO_ROOT, a) : a));
        const r = await runCli(args, { cwd: tmp.dir });
        expect(r.code, r.stderr).toBe(0);
      } else if (line.startsWith('node bin/apprentice.mjs ')) {
        const r = await runCli(line.split(/\s+/).slice(2), { cwd: tmp.dir });
        expect(r.code, `${line}\n${r.stderr}`).toBe(0);
      } else if (line.startsWith('python3 -m http.server')) {
        baseUrl = await startHttpServer(line);
        const page = await fetch(baseUrl);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('apprentice-runtime.js');
      } else throw new Error(`README Deploy has a command this test does not run: ${line}`);
    }
    for (const f of ['exports/hf/README.md', 'exports/openai/train.jsonl', 'exports/fasttext/train.txt'])
      expect(existsSync(path.join(tmp.dir, f)), f).toBe(true);
    // The demo is a real distill run: allow for a busy machine.
  }, 600_000);

  it('the Node snippet runs against the library', () => {
    // Inside the repository, so `apprentice` resolves (to the sources, through the source condition).
    const dir = path.join(REPO_ROOT, '.apprentice');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `readme-snippet-${process.pid}.mjs`);
    writeFileSync(file, jsBlocks[0]);
    try {
      const tsx = pathToFileURL(path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
      const out = execFileSync(process.execPath, ['--conditions=@apprentice/source', '--import', tsx, file], {
        cwd: tmp.dir,
        encoding: 'utf8',
      });
      expect(out).toMatch(/^\[ 'shipping' \] \d\.\d{3}\n$/);
    } finally {
      rmSync(file, { force: true });
    }
  });

  it.skipIf(browserMissing)(
    browserMissing ?? 'the browser snippet runs in Chromium from the served folder',
    async () => {
      expect(baseUrl).not.toBe('');
      writeFileSync(path.join(tmp.dir, 'site', 'snippet.mjs'), jsBlocks[1]);
      writeFileSync(
        path.join(tmp.dir, 'site', 'snippet.html'),
        '<!doctype html><link rel="icon" href="data:,"><script type="module" src="./snippet.mjs"></script>',
      );
      const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
      try {
        const page = await browser.newPage();
        const logs: string[] = [];
        const errors: string[] = [];
        page.on('console', (m) => (m.type() === 'error' ? errors : logs).push(m.text()));
        page.on('pageerror', (e) => errors.push(String(e)));
        await page.goto(`${baseUrl}snippet.html`);
        await expect.poll(() => logs.length + errors.length).toBeGreaterThan(0);
        expect(errors).toEqual([]);
        expect(logs[0]).toMatch(/^\[refund\] \{label: refund, score: 0\.\d+/);
      } finally {
        await browser.close();
      }
    },
  );
});
