/**
 * The studio in a real browser (Debian's chromium driven by playwright-core): a run started from
 * the studio with the dataset teacher shows up live and its curve grows; a keyboard-only review
 * survives a studio restart; filters and paging over a generated 100,000-row run; a cross-origin
 * page cannot start a run. Each screen is saved as studio-*.png: to docs/screenshots with
 * APPRENTICE_SCREENSHOTS=1 (how the docs' pictures are made), otherwise to the test's temp dir.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, CHROMIUM_PATH, chromiumMissing } from '../../test/browser/chromium.js';
import { writeBigRun } from './server/big-run.fixture.js';
import { type RunningStudio, startStudio } from './server/start.js';

const MISSING = chromiumMissing();
const TASK = fileURLToPath(new URL('../../examples/support-routing/task.yaml', import.meta.url));
const SHOTS =
  process.env.APPRENTICE_SCREENSHOTS === '1'
    ? fileURLToPath(new URL('../../docs/screenshots', import.meta.url))
    : mkdtempSync(join(tmpdir(), 'studio-shots-'));
/** vitest's expect.poll gives up after 1 s by default; pages here wait on real training. */
const poll = <T>(fn: () => Promise<T> | T, timeout = 30_000) => expect.poll(fn, { timeout, interval: 200 });
const TITLE = MISSING ? `studio in a real browser: ${MISSING}` : 'studio in a real browser';

describe.skipIf(MISSING !== undefined)(TITLE, () => {
  let root: string;
  let studio: RunningStudio;
  let browser: Browser;
  let page: Page;
  let liveRun = '';
  /** The texts decided in the review test, by decision. */
  const reviewed = { accepted: '', relabeled: '', unusable: '' };
  const pageErrors: string[] = [];

  const start = () =>
    startStudio({ runsDir: join(root, 'runs'), cachePath: join(root, 'cache.sqlite'), host: '127.0.0.1', port: 0 });

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'studio-browser-'));
    writeBigRun(join(root, 'runs', 'topics-100k'), 100_000);
    studio = await start();
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    });
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 300_000);

  afterAll(async () => {
    expect(pageErrors).toEqual([]);
    await browser?.close();
    await studio?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('a run started from the studio (dataset teacher) shows its plan first, then appears live and its curve grows', async () => {
    await page.goto(studio.url);
    await page.fill('input[name=taskFile]', TASK);
    await page.click('text=Show plan');
    await poll(() => page.textContent('[data-testid=plan]')).toMatch(/Estimated cost: .*answers/);
    await page.click('button:has-text("Start")');
    await page.waitForURL(/#\/run\/support-routing-/);
    liveRun = decodeURIComponent(page.url().split('#/run/')[1]);
    await poll(() => page.textContent('[data-testid=run-status]')).toBe('running');
    const points = async () => Number(await page.textContent('[data-testid=curve-points] strong'));
    await poll(points, 120_000).toBeGreaterThanOrEqual(1);
    const first = await points();
    await page.screenshot({ path: join(SHOTS, 'studio-run-live.png') });
    await poll(points, 180_000).toBeGreaterThan(first);
    // When it ends the page reloads the run and shows the report distill wrote.
    await poll(() => page.textContent('[data-testid=run-status]'), 240_000).toBe('complete');
    await page.waitForSelector('iframe.report');
    await page.screenshot({ path: join(SHOTS, 'studio-run.png') });
  }, 600_000);

  it('runs list and comparison of two runs on one chart', async () => {
    await page.goto(studio.url);
    await page.waitForSelector('table.runs');
    await page.check(`tr[data-run="${liveRun}"] input`);
    await page.check('tr[data-run="topics-100k"] input');
    await page.waitForSelector('#compare figure[data-chart=answers] svg');
    expect(await page.locator('#compare figure[data-chart=dollars] svg').count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'studio-runs.png'), fullPage: true });
  });

  it('keyboard-only review (accept, relabel, reject, undo) survives a studio restart', async () => {
    await page.goto(`${studio.url}#/run/${liveRun}/review`);
    await page.waitForSelector('[data-testid=review-card] blockquote');
    const text = () => page.textContent('[data-testid=review-card] blockquote');
    const decision = () => page.textContent('[data-testid=decision]');
    const t1 = await text();
    const suggested = await page.textContent('[data-testid=suggestion]');
    await page.keyboard.press('Enter'); // accept the suggestion
    await poll(text).not.toBe(t1);
    const t2 = await text();
    await page.keyboard.press('3'); // relabel as the third label
    await poll(text).not.toBe(t2);
    const t3 = await text();
    await page.keyboard.press('x'); // unusable
    await poll(text).not.toBe(t3);
    await page.keyboard.press('u'); // undo the last: back on row 3, undecided
    await poll(text).toBe(t3);
    expect(await decision()).toBe('Not decided yet');
    await page.keyboard.press('ArrowUp');
    await poll(decision).toMatch(/^Decided: (accept|relabel)/);
    await page.screenshot({ path: join(SHOTS, 'studio-review.png') });

    await studio.close();
    studio = await start();
    await page.goto(`${studio.url}#/run/${liveRun}/review`);
    await page.waitForSelector('[data-testid=review-card] blockquote');
    // The queue opens on the first row nobody decided: the one whose decision was undone.
    await poll(text).toBe(t3);
    await page.keyboard.press('ArrowUp');
    await poll(text).toBe(t2);
    expect(await decision()).toMatch(/^Decided: (relabel|accept)( → shipping)? by reviewer$/);
    await page.keyboard.press('ArrowUp');
    await poll(text).toBe(t1);
    expect(await decision()).toContain(`→ ${suggested}`);
    const stored = (await (await fetch(`${studio.url}api/runs/${liveRun}/corrections`)).json()) as {
      corrections: { text: string; labels: string[]; reviewer: string }[];
    };
    expect(stored.corrections.map((c) => c.text).sort()).toEqual([t1, t2].sort());
    expect(stored.corrections.find((c) => c.text === t2)?.labels).toEqual(['shipping']);

    // Row 3 marked unusable for good, for the next distill to leave out.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await poll(text).toBe(t3);
    await page.keyboard.press('x');
    await poll(text).not.toBe(t3);
    Object.assign(reviewed, { accepted: t1!, relabeled: t2!, unusable: t3! });
  }, 120_000);

  it('the next distill, started from the studio, trains on the reviewed rows as human labels and asks the teacher for none', async () => {
    await page.goto(studio.url);
    await page.fill('input[name=taskFile]', TASK);
    await page.click('text=Show plan');
    await poll(() => page.textContent('[data-testid=plan]')).toMatch(/Estimated cost: .*answers/);
    await page.click('button:has-text("Start")');
    await page.waitForURL((u) => /#\/run\/support-routing-/.test(u.hash) && !u.hash.includes(liveRun));
    const next = decodeURIComponent(page.url().split('#/run/')[1]);
    await poll(() => page.textContent('[data-testid=run-status]'), 300_000).toBe('complete');
    const dir = join(root, 'runs', next);
    const lines = (file: string) =>
      readFileSync(join(dir, file), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
    const rows = lines('training.jsonl') as { text: string; labels: string[]; source: string; reviewer?: string }[];
    const byText = new Map(rows.map((r) => [r.text, r]));
    expect(byText.get(reviewed.accepted)).toMatchObject({ source: 'human', teacher: 'human', reviewer: 'reviewer' });
    expect(byText.get(reviewed.relabeled)).toMatchObject({
      source: 'human',
      labels: ['shipping'],
      reviewer: 'reviewer',
    });
    expect(byText.has(reviewed.unusable)).toBe(false);
    // Taken out of the pool before anything was asked: none of the three was sent to the teacher.
    const loaded = (lines('events.jsonl') as { type: string; human?: number; unusable?: number }[]).find(
      (e) => e.type === 'data-loaded',
    );
    expect(loaded).toMatchObject({ human: 2, unusable: 1 });
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.human).toMatchObject({ rows: 2, unusable: 1 });
    // The report counts them.
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('2 labeled by reviewers (not paid for)');
  }, 400_000);

  it('"Retrain now" trains a new student from the run’s corrected rows and shows the scores before and after', async () => {
    await page.goto(`${studio.url}#/run/${liveRun}`);
    await page.click('[data-testid=retrain]');
    await poll(() => page.locator('[data-testid=retrain-result] table.before-after tbody tr').count(), 120_000).toBe(2);
    const result = await page.textContent('[data-testid=retrain-result]');
    expect(result).toMatch(/accuracy\s*\d+\.\d%\s*\d+\.\d%/);
    expect(result).toMatch(/macro-F1/);
    expect(result).toMatch(/rows, 2 labeled by reviewers, 1 left out as unusable; no teacher asked/);
    await page.screenshot({ path: join(SHOTS, 'studio-retrain.png') });
    // The result is a run of its own, listed as a retrain of the original.
    await page.click('[data-testid=retrained-run]');
    const retrained = decodeURIComponent(page.url().split('#/run/')[1]);
    await poll(() => page.textContent('h2')).toContain(`Retrained from ${liveRun}`);
    await page.screenshot({ path: join(SHOTS, 'studio-retrained.png') });
    await page.goto(studio.url);
    await poll(() => page.textContent(`tr[data-run="${retrained}"]`)).toContain(`retrain of ${liveRun}`);
    await page.screenshot({ path: join(SHOTS, 'studio-runs-retrain.png') });
  }, 180_000);

  it('filters and paging over a 100,000-row run, with counts per value; a confusion cell opens its rows', async () => {
    await page.goto(`${studio.url}#/run/topics-100k/data`);
    await page.waitForSelector('[data-testid=range]', { timeout: 240_000 });
    expect(await page.textContent('[data-testid=range]')).toBe('1–50 of 100,000');
    const facetCount = (facet: string, value: string) =>
      page.textContent(`details[data-facet=${facet}] a[data-value="${value}"] + .count`);
    const generated = Number((await facetCount('source', 'generated'))!.replace(/,/g, ''));
    await page.click('details[data-facet=source] a[data-value=generated]');
    await poll(() => page.textContent('[data-testid=range]')).toBe(`1–50 of ${generated.toLocaleString('en-US')}`);
    await page.click('text=next ›');
    await poll(() => page.textContent('[data-testid=range]')).toBe(`51–100 of ${generated.toLocaleString('en-US')}`);
    const sourceCells = await page.locator('[data-testid=rows] tbody tr td:nth-child(5)').allTextContents();
    expect(new Set(sourceCells)).toEqual(new Set(['generated']));
    await page.fill('input[name=q]', 'forecast');
    await page.press('input[name=q]', 'Enter');
    await poll(() => page.textContent('[data-testid=range]')).toMatch(/^1–50 of [\d,]+$/);
    const texts = await page.locator('[data-testid=rows] tbody td.text').allTextContents();
    for (const t of texts) expect(t.toLowerCase()).toContain('forecast');
    await page.screenshot({ path: join(SHOTS, 'studio-data.png') });

    await page.goto(`${studio.url}#/run/topics-100k/data`);
    await page.click('td[data-cell="cooking|sports"] a');
    await poll(() => page.url()).toMatch(/label=cooking&predicted=sports/);
    await page.waitForSelector('[data-testid=rows] tbody tr');
    const labels = await page.locator('[data-testid=rows] tbody tr td:nth-child(3)').allTextContents();
    const predicted = await page.locator('[data-testid=rows] tbody tr td:nth-child(4)').allTextContents();
    expect(new Set(labels)).toEqual(new Set(['cooking']));
    for (const p of predicted) expect(p.startsWith('sports')).toBe(true);
  }, 300_000);

  it('playground shows the student’s labels, probabilities and the n-grams behind them, and the teacher beside it', async () => {
    await page.goto(`${studio.url}#/run/${liveRun}/playground`);
    // The first text is in the dataset teacher's file (it answers it); the second is not (it says so).
    await page.fill(
      'textarea',
      "The app shows prices in yen for me but I'm in Canada.\nplease refund the double charge on my card",
    );
    await poll(() => page.locator('[data-testid=predictions] .prediction').count()).toBe(2);
    // Per likely label, named n-grams with signed contributions; the words in the text marked.
    const first = page.locator('[data-testid=predictions] .prediction').first();
    const label = (await first.locator('strong').first().textContent()) ?? '';
    expect(await first.locator('[data-testid=explain] .label-why').first().getAttribute('data-label')).toBe(label);
    const toward = await first.locator('.label-why').first().locator('[data-testid=toward] .ngram').allTextContents();
    expect(toward.length).toBeGreaterThan(0);
    for (const t of toward) expect(t).toMatch(/^\S.*\+\d+\.\d{2,3}$/);
    const against = await first.locator('.label-why').first().locator('[data-testid=against] .ngram').allTextContents();
    for (const t of against) expect(t).toMatch(/−\d+\.\d{2,3}$/);
    expect(await first.locator('[data-testid=marked] mark').count()).toBeGreaterThan(0);
    // The teacher (here the run's dataset teacher) answers through the cache and budget, with the cost.
    await page.click('[data-testid=ask-teacher]');
    await poll(() => page.locator('[data-testid=teacher-answer]').count()).toBe(2);
    expect(await page.locator('[data-testid=teacher-answer]').first().textContent()).toMatch(/^Teacher: bug_report · /);
    await poll(() => page.textContent('[data-testid=teacher-cost]')).toMatch(
      /this ask cost \$0 .*of this run's budget/,
    );
    await page.screenshot({ path: join(SHOTS, 'studio-playground.png'), fullPage: true });
  });

  it('a page on another origin cannot start a run', async () => {
    const runsBefore = readdirSync(join(root, 'runs')).sort();
    let hits = 0;
    const evil: Server = createServer((req, res) => {
      if (req.url !== '/') {
        res.statusCode = 404; // the browser also asks for /favicon.ico
        res.end();
        return;
      }
      hits += 1;
      res.setHeader('content-type', 'text/html');
      // A "simple" request (text/plain), so the browser sends it without a preflight: only the studio can refuse it.
      res.end(`<script>
        fetch(${JSON.stringify(`${studio.url}api/runs`)}, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' },
          body: JSON.stringify({ taskFile: ${JSON.stringify(TASK)}, confirm: true }) })
          .then(() => { document.title = 'sent'; }, () => { document.title = 'failed'; });
      </script>`);
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
    try {
      const port = (evil.address() as AddressInfo).port;
      const refused: number[] = [];
      page.on('response', (r) => {
        if (r.url().endsWith('/api/runs') && r.request().method() === 'POST') refused.push(r.status());
      });
      await page.goto(`http://localhost:${port}/`);
      await poll(() => page.title()).toMatch(/sent|failed/);
      expect(hits).toBe(1);
      expect(refused).toEqual([403]);
      expect(readdirSync(join(root, 'runs')).sort()).toEqual(runsBefore);
    } finally {
      evil.close();
    }
  });
});
