import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, tempDir } from '../../src/cli/cli-harness.js';
import { loadStudent } from '../../src/student/registry.js';
import type { Student } from '../../src/student/types.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH, chromiumMissing } from './chromium.js';
import { serveStatic } from './static-server.js';

/**
 * `apprentice export runtime` in a real browser: the real CLI trains a model and exports it, a
 * static server on 127.0.0.1 serves the folder, headless Chromium opens the page, and every
 * probability the page (and its Web Worker) computes must equal the library's in Node, bit for bit.
 */
const TEXTS = [
  'I was charged twice for my order last week, please send the money back',
  'Where is my parcel? The tracking number has not updated in five days.',
  'I cannot sign in, the reset email never arrives',
  'The app crashes when I open the doorbell camera feed',
  'Could you add dark mode to the companion app?',
  'Please cancel my Plus membership before it renews',
  'What are your opening hours on Sunday?',
  'Ünïcödé façade — naïve café ✓ 😀',
  '',
  '?!',
  'refund refund refund refund',
];

const EXAMPLE = path.join(REPO_ROOT, 'examples', 'support-routing');
const missing = chromiumMissing();
/** APPRENTICE_SCREENSHOTS=1 refreshes docs/screenshots/runtime-page.png; otherwise the shot goes to the temp dir. */
const SHOT_TO_DOCS = process.env.APPRENTICE_SCREENSHOTS === '1';

type Scores = { label: string; score: number }[];

function expectLibraryAgrees(student: Student, text: string, got: { labels: string[]; scores: Scores }): void {
  const want = student.predict(text);
  expect(got.labels, text).toEqual(want.labels);
  const byLabel = new Map(got.scores.map((s) => [s.label, s.score]));
  expect(
    student.labels.map((l) => byLabel.get(l)),
    text,
  ).toEqual(Array.from(want.probs));
  expect(
    got.scores.map((s) => s.score),
    text,
  ).toEqual(got.scores.map((s) => s.score).sort((a, b) => b - a));
}

describe.skipIf(missing)(missing ?? 'runtime page in headless Chromium', () => {
  const tmp = tempDir('apprentice-browser-');
  let browser: Browser;
  let page: Page;
  let server: Awaited<ReturnType<typeof serveStatic>>;
  let student: Student;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    // `train` names the model after its input file, and the page shows that name.
    copyFileSync(path.join(EXAMPLE, 'labeled.jsonl'), path.join(tmp.dir, 'support-routing.jsonl'));
    const train = await runCli(
      ['train', 'support-routing.jsonl', '--eval', path.join(EXAMPLE, 'gold.jsonl'), '--out', 'model'],
      { cwd: tmp.dir },
    );
    expect(train.code, train.stderr).toBe(0);
    const exported = await runCli(['export', 'runtime', 'model', '--out', 'site'], { cwd: tmp.dir });
    expect(exported.code, exported.stderr).toBe(0);
    student = loadStudent(path.join(tmp.dir, 'model', 'student.bin'));
    copyFileSync(
      path.join(REPO_ROOT, 'test', 'browser', 'fixtures', 'service-worker.js'),
      path.join(tmp.dir, 'site', 'sw.js'),
    );
    server = await serveStatic(path.join(tmp.dir, 'site'));
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 900, height: 720 }, deviceScaleFactor: 1 });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    await page.goto(`${server.url}index.html`);
    await page.waitForSelector('body[data-state="ready"]', { timeout: 60_000 });
    // Trains a model through the real CLI first: generous on a busy machine.
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    tmp.cleanup();
  });

  it('the page predicts what the library predicts in Node, bit for bit', async () => {
    const got = await page.evaluate(async (texts) => {
      const s = await (globalThis as any).apprentice.ready;
      return { labels: s.labels as string[], preds: texts.map((t: string) => s.predict(t)) };
    }, TEXTS);
    expect(got.labels).toEqual([...student.labels]);
    TEXTS.forEach((text, i) => expectLibraryAgrees(student, text, got.preds[i]));
    expect(pageErrors).toEqual([]);
  });

  it('the Web Worker path predicts the same', async () => {
    const preds = await page.evaluate((texts) => (globalThis as any).apprentice.predictInWorker(texts), TEXTS);
    TEXTS.forEach((text, i) => expectLibraryAgrees(student, text, preds[i]));
    expect(pageErrors).toEqual([]);
  });

  it('an edge-style fetch handler in a service worker answers with the same predictions', async () => {
    const preds = await page.evaluate(async (texts) => {
      const sw = (globalThis as any).navigator.serviceWorker;
      await sw.register('./sw.js', { type: 'module' });
      await sw.ready;
      if (!sw.controller)
        await new Promise((resolve) => sw.addEventListener('controllerchange', resolve, { once: true }));
      const out: any[] = [];
      for (const t of texts) out.push(await (await fetch(`./predict?text=${encodeURIComponent(t)}`)).json());
      return out;
    }, TEXTS);
    TEXTS.forEach((text, i) => expectLibraryAgrees(student, text, preds[i]));
    expect(pageErrors).toEqual([]);
  });

  it('a person typing sees the predicted label and the probabilities (screenshot)', async () => {
    const text = 'My Plus membership renewed after I cancelled it, can I get that charge back?';
    await page.fill('#text', text);
    const want = student.predict(text).labels;
    await expect.poll(() => page.locator('#labels .chip').allTextContents()).toEqual(want);
    const rows = await page.locator('#scores li').count();
    expect(rows).toBe(Math.min(8, student.labels.length));
    const firstValue = await page.locator('#scores li .value').first().textContent();
    expect(firstValue).toMatch(/^(<0\.1|\d+(\.\d)?)%$/);
    const shot = SHOT_TO_DOCS
      ? path.join(REPO_ROOT, 'docs', 'screenshots', 'runtime-page.png')
      : path.join(tmp.dir, 'runtime-page.png');
    mkdirSync(path.dirname(shot), { recursive: true });
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(5000);
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
  });
});
