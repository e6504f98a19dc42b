/**
 * An extraction run in the studio, in a real browser (Debian's chromium driven by playwright-core):
 * two runs made by the CLI (`init --from-dataset` on CoNLL, `distill` closed-loop and random with
 * the dataset teacher) show span F1 in the runs list and on one comparison chart, their overview
 * shows precision, recall, partial F1 and the per-type table, and the data browser lists the
 * training texts with their spans marked by type and filters by span type. Screens are saved as
 * studio-extract-*.png: to docs/screenshots with APPRENTICE_SCREENSHOTS=1, else to a temp dir.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH, chromiumMissing } from '../../test/browser/chromium.js';
import { makeExtractRun } from '../../test/fixtures/extract-run.js';
import { type RunningStudio, startStudio } from './server/start.js';

const MISSING = chromiumMissing();
const SHOTS =
  process.env.APPRENTICE_SCREENSHOTS === '1'
    ? fileURLToPath(new URL('../../docs/screenshots', import.meta.url))
    : mkdtempSync(join(tmpdir(), 'studio-extract-shots-'));
const TITLE = MISSING
  ? `extraction runs in the studio, real browser: ${MISSING}`
  : 'extraction runs in the studio, real browser';

describe.skipIf(MISSING !== undefined)(TITLE, () => {
  let root: string;
  let studio: RunningStudio;
  let browser: Browser;
  let page: Page;
  let summary: { f1: number; precision: number; recall: number; partialF1: number; perType: Record<string, unknown> };
  const pageErrors: string[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'studio-extract-'));
    const work = join(root, 'work');
    mkdirSync(work);
    await makeExtractRun(work, { out: join(root, 'runs', 'ner-closed'), strategy: 'closed-loop' });
    await makeExtractRun(work, { out: join(root, 'runs', 'ner-random'), strategy: 'random' });
    summary = JSON.parse(readFileSync(join(root, 'runs', 'ner-closed', 'summary.json'), 'utf8'));
    studio = await startStudio({
      runsDir: join(root, 'runs'),
      cachePath: join(root, 'cache.sqlite'),
      host: '127.0.0.1',
      port: 0,
    });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 600_000);

  afterAll(async () => {
    expect(pageErrors).toEqual([]);
    await browser?.close();
    await studio?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

  it('the runs list shows span F1 and compares two extraction runs on one span-F1 chart', async () => {
    await page.goto(studio.url);
    await page.waitForSelector('table.runs');
    expect(await page.textContent('tr[data-run="ner-closed"] td:nth-child(5)')).toBe(`F1 ${pct(summary.f1)}`);
    await page.check('tr[data-run="ner-closed"] input');
    await page.check('tr[data-run="ner-random"] input');
    await page.waitForSelector('#compare figure[data-chart=answers][data-metric=f1] svg');
    expect(await page.textContent('#compare figure[data-chart=answers]')).toContain('span F1');
    // Each run draws its curve: one polyline (or path) per series.
    expect(await page.locator('#compare figure[data-chart=answers] figcaption .key').count()).toBe(2);
    await page.screenshot({ path: join(SHOTS, 'studio-extract-runs.png'), fullPage: true });
  });

  it('the run page shows span precision, recall, F1, partial F1, the per-type table and a span-F1 curve', async () => {
    await page.goto(`${studio.url}#/run/ner-closed`);
    await page.waitForSelector('[data-testid=extract-scores]');
    const line = await page.textContent('[data-testid=extract-summary]');
    expect(line).toContain(`span F1 ${pct(summary.f1)}`);
    expect(line).toContain(`precision ${pct(summary.precision)}`);
    expect(line).toContain(`recall ${pct(summary.recall)}`);
    expect(line).toContain(`partial F1 ${pct(summary.partialF1)}`);
    const types = await page.locator('[data-testid=per-type] tbody tr td:first-child').allTextContents();
    expect(types).toEqual(Object.keys(summary.perType).sort());
    await page.waitForSelector('[data-testid=curve] figure[data-metric=f1] svg');
    expect(await page.textContent('[data-testid=live-stats]')).toContain('Span F1');
    expect(await page.textContent('[data-testid=run-status] + span')).toContain(`F1 ${pct(summary.f1)}`);
    await page.screenshot({ path: join(SHOTS, 'studio-extract-run.png'), fullPage: true });
  });

  it('the data browser marks every span by type, shows provenance, and filters by span type', async () => {
    await page.goto(`${studio.url}#/run/ner-closed/data`);
    await page.waitForSelector('[data-testid=span-rows] tbody tr');
    const training = readFileSync(join(root, 'runs', 'ner-closed', 'training.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(await page.textContent('[data-testid=range]')).toBe(
      `1–${Math.min(50, training.length)} of ${training.length}`,
    );
    // The first row's marks are its spans, in order, with their types.
    const first = JSON.parse(training[0]) as { spans: { text: string; type: string }[]; source: string };
    const marks = page.locator('[data-testid=span-rows] tbody tr:first-child mark.span');
    expect(
      await marks.evaluateAll((ms) => ms.map((m) => [m.firstChild?.textContent, m.getAttribute('data-type')])),
    ).toEqual(first.spans.map((s) => [s.text, s.type]));
    expect(await page.textContent('[data-testid=span-rows] tbody tr:first-child td:nth-child(4)')).toBe(first.source);
    // Types have distinct colours (each mark's --c).
    const colours = await page
      .locator('[data-facet=type] mark.span')
      .evaluateAll((ms) => ms.map((m) => m.getAttribute('style')));
    expect(colours).toHaveLength(3);
    expect(new Set(colours).size).toBe(3);
    await page.screenshot({ path: join(SHOTS, 'studio-extract-data.png'), fullPage: true });

    await page.click('[data-facet=type] a:has-text("person")');
    await page.waitForURL(/type=person/);
    await page.waitForSelector('.chip:has-text("type: person")');
    const withPerson = training.filter((l) =>
      (JSON.parse(l).spans as { type: string }[]).some((s) => s.type === 'person'),
    );
    expect(await page.textContent('[data-testid=range]')).toBe(
      `1–${Math.min(50, withPerson.length)} of ${withPerson.length}`,
    );
    const rows = page.locator('[data-testid=span-rows] tbody tr');
    for (let i = 0; i < (await rows.count()); i++)
      expect(await rows.nth(i).locator('mark.span[data-type=person]').count()).toBeGreaterThan(0);
  });

  it('review is declared not supported for extraction runs, in the page and the API', async () => {
    await page.goto(`${studio.url}#/run/ner-closed/review`);
    await page.waitForSelector('[data-testid=not-supported]');
    expect(await page.textContent('[data-testid=not-supported]')).toContain('not supported for extraction runs yet');
    const res = await fetch(`${studio.url}api/runs/ner-closed/rows`);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: string }).error).toContain('not supported for extraction runs yet');
    // The span rows API answers a bad query with 400 naming the field, and stays up.
    const bad = await fetch(`${studio.url}api/runs/ner-closed/spans?round=two`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^round:/);
    const ok = await fetch(`${studio.url}api/runs/ner-closed/spans?type=city&limit=5`);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as {
      rows: { spans: { type: string }[] }[];
      total: number;
      facets: { type: Record<string, number> };
    };
    expect(body.rows).toHaveLength(5);
    for (const r of body.rows) expect(r.spans.some((sp) => sp.type === 'city')).toBe(true);
    expect(body.total).toBe(body.facets.type.city);
  });
});
