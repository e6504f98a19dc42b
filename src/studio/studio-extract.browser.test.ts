/**
 * An extraction run in the studio, in a real browser (Debian's chromium driven by playwright-core):
 * two runs made by the CLI (`init --from-dataset` on CoNLL, `distill` closed-loop and random with
 * the dataset teacher) show span F1 in the runs list and on one comparison chart, their overview
 * shows precision, recall, partial F1 and the per-type table, and the data browser lists the
 * training texts with their spans marked by type and filters by span type. The review queue is
 * driven by keyboard and mouse (accept, add, retype and delete spans, reject, undo), "Retrain now"
 * makes a new run from the reviews, and the playground marks the student's spans. Screens are saved as
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

  it('the span APIs answer bad input with 4xx and stay up', async () => {
    const res = await fetch(`${studio.url}api/runs/ner-closed/rows`);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { hint: string }).hint).toContain('/span-review');
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

  interface QueueRow {
    textId: string;
    text: string;
    spans: { start: number; end: number; type: string; text: string }[];
    tokens: { start: number; end: number }[];
  }
  interface Stored {
    textId: string;
    decision: string;
    reviewer: string;
    spans?: { start: number; end: number; type: string; text: string }[];
  }
  const queue = async () =>
    ((await (await fetch(`${studio.url}api/runs/ner-closed/span-review?limit=500`)).json()) as { rows: QueueRow[] })
      .rows;
  const stored = async () =>
    ((await (await fetch(`${studio.url}api/runs/ner-closed/corrections`)).json()) as { corrections: Stored[] })
      .corrections;
  const poll = <T>(fn: () => Promise<T> | T, timeout = 30_000) => expect.poll(fn, { timeout, interval: 200 });
  const plain = (spans: QueueRow['spans']) => spans.map(({ start, end, type, text }) => ({ start, end, type, text }));
  let edited: { text: string; spans: QueueRow['spans'] };
  let rejectedText: string;

  it('reviews an extraction run by keyboard and mouse: accept, add, retype and delete spans, reject, undo', async () => {
    const rows = await queue();
    await page.goto(studio.url);
    await page.evaluate("localStorage.setItem('apprentice.reviewer', 'ana')");
    await page.goto(`${studio.url}#/run/ner-closed/review`);
    await page.waitForSelector('[data-testid=span-editor]');
    // The first text is the student's least sure, shown with the teacher's spans by type.
    const marks = () =>
      page
        .locator('[data-testid=span-editor] mark.span')
        .evaluateAll((ms) => ms.map((m) => [m.getAttribute('data-type'), m.querySelector('small')?.textContent]));
    expect(await marks()).toEqual(rows[0].spans.map((s) => [s.type, s.type]));
    expect(await page.textContent('[data-testid=review-status]')).toContain(`Text 1 of ${rows.length}`);
    await page.screenshot({ path: join(SHOTS, 'studio-extract-review.png'), fullPage: true });

    // a: accept the teacher's spans as they are.
    await page.keyboard.press('a');
    await poll(async () => (await stored()).length).toBe(1);
    expect((await stored())[0]).toMatchObject({ textId: rows[0].textId, decision: 'accept', reviewer: 'ana' });
    expect(plain((await stored())[0].spans!)).toEqual(plain(rows[0].spans));

    // Go to a text with two spans or more and a word outside them.
    const free = (r: QueueRow) => r.tokens.filter((t) => !r.spans.some((s) => s.start < t.end && t.start < s.end));
    const at = rows.findIndex((r, i) => i > 1 && r.spans.length >= 2 && free(r).length >= 2);
    expect(at).toBeGreaterThan(1);
    for (let i = 1; i < at; i++) await page.keyboard.press('j');
    await poll(() => page.textContent('[data-testid=review-status]')).toContain(`Text ${at + 1} of`);
    const row = rows[at];
    const types = ['city', 'person', 'product'];

    // Add: drag over a word outside every span (the selection snaps to its token), press 1 (city).
    const word = free(row).find((t) => /\w/.test(row.text.slice(t.start, t.end)))!;
    const tok = page.locator(`[data-testid=span-editor] .tok[data-start="${word.start}"]`).first();
    const box = (await tok.boundingBox())!;
    await page.mouse.move(box.x + 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2, { steps: 3 });
    await page.mouse.up();
    await page.waitForSelector('[data-testid=span-editor] .tok.pending');
    await page.keyboard.press('1');
    // Retype: click the teacher's first span, press the number of another type.
    const first = row.spans[0];
    const retype = types.find((t) => t !== first.type)!;
    await page.click(`[data-testid=span-editor] mark.span[data-i] .tok[data-start="${first.start}"]`);
    await page.waitForSelector('[data-testid=span-editor] mark.span.selected');
    await page.keyboard.press(String(types.indexOf(retype) + 1));
    // Delete: click the teacher's last span, press Backspace.
    const last = row.spans.at(-1)!;
    await page.click(`[data-testid=span-editor] mark.span[data-i] .tok[data-start="${last.start}"]`);
    await page.keyboard.press('Backspace');
    const expected = [
      ...row.spans.slice(0, -1).map((s, i) => (i === 0 ? { ...s, type: retype } : s)),
      { start: word.start, end: word.end, type: 'city', text: row.text.slice(word.start, word.end) },
    ].sort((a, b) => a.start - b.start);
    expect(await marks()).toEqual(expected.map((s) => [s.type, s.type]));
    expect(await page.textContent('[data-testid=decision]')).toContain('edited, not stored yet');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(SHOTS, 'studio-extract-review-edit.png'), fullPage: true });
    await page.keyboard.press('a');
    await poll(async () => (await stored()).length).toBe(2);
    const saved = (await stored()).find((c) => c.textId === row.textId)!;
    expect(saved).toMatchObject({ decision: 'relabel', reviewer: 'ana' });
    expect(plain(saved.spans!)).toEqual(plain(expected));
    edited = { text: row.text, spans: expected };

    // x rejects the next text; u takes it back; x again.
    const next = rows[at + 1];
    await poll(() => page.textContent('[data-testid=review-status]')).toContain(`Text ${at + 2} of`);
    await page.keyboard.press('x');
    await poll(async () => (await stored()).find((c) => c.textId === next.textId)?.decision).toBe('unusable');
    await page.keyboard.press('u');
    await poll(async () => (await stored()).some((c) => c.textId === next.textId)).toBe(false);
    // Back on the undone text (the one after it is undecided too, so the status line tells them apart).
    await poll(() => page.textContent('[data-testid=review-status]')).toContain(`Text ${at + 2} of`);
    expect(await page.textContent('[data-testid=decision]')).toBe('Not decided yet');
    await page.keyboard.press('x');
    await poll(async () => (await stored()).find((c) => c.textId === next.textId)?.decision).toBe('unusable');
    rejectedText = next.text;
    // Going back shows the stored edit.
    await page.keyboard.press('k');
    await page.keyboard.press('k');
    await poll(() => page.textContent('[data-testid=decision]')).toContain('Decided: edited by ana');
  }, 120_000);

  it('"Retrain now" trains a new sequence student with the reviews and shows span P/R/F1 before and after', async () => {
    await page.goto(`${studio.url}#/run/ner-closed`);
    await page.click('[data-testid=retrain]');
    await poll(() => page.locator('[data-testid=retrain-result] table.before-after tbody tr').count(), 120_000).toBe(3);
    const result = await page.textContent('[data-testid=retrain-result]');
    expect(result).toMatch(/span F1\s*\d+\.\d%\s*\d+\.\d%/);
    expect(result).toContain(`span F1${pct(summary.f1)}`);
    expect(result).toMatch(/texts, 2 with reviewers' spans, 1 left out as rejected; no teacher asked/);
    await page.screenshot({ path: join(SHOTS, 'studio-extract-retrain.png') });
    await page.click('[data-testid=retrained-run]');
    const retrained = decodeURIComponent(page.url().split('#/run/')[1]);
    await poll(() => page.textContent('h2')).toContain('Retrained from ner-closed');
    const training = readFileSync(join(root, 'runs', retrained, 'training.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { text: string; spans: QueueRow['spans']; source: string; reviewer?: string });
    const row = training.find((r) => r.text === edited.text)!;
    expect(row).toMatchObject({ source: 'human', reviewer: 'ana' });
    expect(plain(row.spans)).toEqual(plain(edited.spans));
    expect(training.some((r) => r.text === rejectedText)).toBe(false);
    await page.goto(studio.url);
    await poll(() => page.textContent(`tr[data-run="${retrained}"]`)).toContain('retrain of ner-closed');
    await page.goto(`${studio.url}#/run/${encodeURIComponent(retrained)}`);
    await page.waitForSelector('table.before-after');
    await page.screenshot({ path: join(SHOTS, 'studio-extract-retrained.png'), fullPage: true });
  }, 180_000);

  it('the playground marks the student’s spans with type and confidence, and asks the teacher beside it', async () => {
    // A text the teacher annotated (the dataset teacher knows it) and one nobody has seen.
    const text = readFileSync(join(root, 'runs', 'ner-closed', 'training.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { text: string; source: string; spans: unknown[] })
      .find((r) => r.source !== 'seed' && r.spans.length >= 2)!.text;
    await page.goto(`${studio.url}#/run/ner-closed/playground`);
    await page.fill('textarea', `${text}\nMaria Lopez flew to Lisbon with her Kindle`);
    await page.waitForSelector('[data-testid=span-prediction] mark.span');
    const labels = await page.locator('[data-testid=span-prediction] mark.span small').allTextContents();
    for (const l of labels) expect(l).toMatch(/^(city|person|product) \d+%$/);
    await page.click('[data-testid=ask-teacher]');
    await page.waitForSelector('[data-testid=teacher-answer]');
    expect(await page.textContent('[data-testid=teacher-cost]')).toMatch(/this ask cost \$0/);
    await page.screenshot({ path: join(SHOTS, 'studio-extract-playground.png'), fullPage: true });
  }, 60_000);
});
