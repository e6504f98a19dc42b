import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderReport } from './render.js';
import { writeReport } from './write-report.js';
import { TOP_CONFUSED, mostConfused } from './sections/confusion.js';
import {
  confusion77,
  fixtureLedger,
  fixtureReportData,
  fixtureSummary,
  fixtureWrong,
  metricsFrom,
} from './report.fixture.js';

const SECTIONS = [
  'headline',
  'learning-curve',
  'confusion',
  'per-label',
  'wrong-examples',
  'teacher-cost',
  'timing',
  'rounds',
];

function count(haystack: string, needle: string | RegExp): number {
  return haystack.split(needle).length - 1;
}

describe('renderReport', () => {
  const page = renderReport(fixtureReportData());

  it('is one self-contained page: every section, no script, nothing fetched', () => {
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    for (const id of SECTIONS) expect(page).toContain(`<section id="${id}">`);
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<link\b/i);
    expect(page).not.toMatch(/\bsrc\s*=/i);
    // The only URL is the SVG namespace, which is an identifier, not a fetch.
    expect(page.match(/https?:\/\/[^\s"']+/g)?.every((u) => u === 'http://www.w3.org/2000/svg')).toBe(true);
    expect(page).toContain("default-src 'none'");
  });

  it('shows the header and headline figures', () => {
    expect(page).toContain('<h1>support-routing</h1>');
    expect(page).toContain('openai:gpt-4o-mini');
    expect(page).toContain('hashed-linear');
    expect(page).toContain('plateau');
    expect(page).toContain('79.5%'); // accuracy: 159 of 200
    expect(page).toMatch(/Macro-F1<\/div><div class="card-value">7\d\.\d%/);
    expect(page).toContain('620'); // answers
    expect(page).toContain('58 HTTP requests');
    expect(page).toContain('$0.0412'); // paid
    expect(page).toContain('$0.0587 used'); // used
    expect(page).toMatch(/pool <strong>438<\/strong>/);
    expect(page).not.toContain('id="dataset-teacher"');
  });

  it('draws the learning curve against answers and dollars', () => {
    const curve = page.slice(page.indexOf('<section id="learning-curve">'), page.indexOf('<section id="confusion">'));
    expect(count(curve, '<svg class="chart"')).toBe(2);
    expect(count(curve, '<circle')).toBe(12); // 3 rounds × 2 series × 2 charts
    expect(curve).toContain('accuracy: 78% at 410');
    expect(curve).not.toContain('No cost');
  });

  it('renders the 5-label confusion matrix whole and the per-label table worst first', () => {
    expect(count(page, '<td class="cm')).toBe(25);
    expect(page).not.toContain('id="matrix-truncated"');
    const table = page.slice(page.indexOf('<section id="per-label">'), page.indexOf('<section id="wrong-examples">'));
    const order = [...table.matchAll(/<tr>\s*<td>([^<]+)<\/td>/g)].map((m) => m[1]);
    expect(order[0]).toBe('other');
    expect(order).toHaveLength(5);
  });

  it('shows the cost per round and the student/teacher time ratio', () => {
    expect(page).toContain('$0.0203'); // round 1: 0.0384 - 0.0181
    expect(page).toContain('38.5 µs');
    expect(page).toContain('212 ms');
    expect(page).toContain('5,517×'); // 212.4 ms / 38.5 µs
  });

  it('lists rounds with weakest labels and confused pairs', () => {
    const rounds = page.slice(page.indexOf('<section id="rounds">'));
    expect(count(rounds, '<tr>')).toBeGreaterThanOrEqual(4);
    expect(rounds).toContain('feature_request</span> → <span class="chip chip-pred">bug_report</span> ×9');
  });
});

describe('escaping', () => {
  it('escapes HTML in example texts, labels and ids', () => {
    const wrong = fixtureWrong(3);
    wrong[0].text = '<script>alert(1)</script><img src=x onerror="alert(2)"> & \'q\'';
    wrong[1].gold = ['"><b>bold</b>'];
    const page = renderReport(fixtureReportData({ examplesWrong: wrong, teacherId: 'dataset:/tmp/<evil>.jsonl' }));
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<b>bold');
    expect(page).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt; &amp; &#39;q&#39;',
    );
    expect(page).toContain('&quot;&gt;&lt;b&gt;bold&lt;/b&gt;');
    expect(page).toContain('dataset:/tmp/&lt;evil&gt;.jsonl');
  });

  it('caps the wrong examples at 50 and says how many there were', () => {
    const page = renderReport(fixtureReportData({ examplesWrong: fixtureWrong(80) }));
    const section = page.slice(
      page.indexOf('<section id="wrong-examples">'),
      page.indexOf('<section id="teacher-cost">'),
    );
    expect(count(section, '<td class="text">')).toBe(50);
    expect(section).toContain('First 50 of 80');
  });
});

describe('dataset teacher', () => {
  const summary = fixtureSummary({
    teacher: {
      ...fixtureSummary().teacher,
      id: 'dataset:./labeled.jsonl',
      kind: 'dataset',
      dollars: 0,
      dollarsUsed: 0,
      requests: 0,
    },
    rounds: fixtureSummary().rounds.map((r) => ({ ...r, dollars: 0 })),
  });
  const page = renderReport(
    fixtureReportData({
      summary,
      teacherKind: 'dataset',
      teacherId: 'dataset:./labeled.jsonl',
      ledger: fixtureLedger({
        dollars: 0,
        dollarsUsed: 0,
        httpRequests: 0,
        paidRequests: 0,
        inputTokens: 0,
        outputTokens: 0,
      }),
      teacherMsPerAnswer: null,
    }),
  );

  it('shows the banner, and says there is no cost instead of a flat dollar chart', () => {
    expect(page).toContain('id="dataset-teacher"');
    expect(page).toContain(
      'Teacher: dataset file</strong> — labels came from a labeled file, not an LLM; costs are zero',
    );
    const curve = page.slice(page.indexOf('<section id="learning-curve">'), page.indexOf('<section id="confusion">'));
    expect(count(curve, '<svg class="chart"')).toBe(1);
    expect(curve).toContain('No cost: dataset teacher or local server');
  });

  it('does not invent a teacher time or ratio', () => {
    const timing = page.slice(page.indexOf('<section id="timing">'), page.indexOf('<section id="rounds">'));
    expect(timing).toContain('a dataset teacher makes no calls');
    expect(timing).not.toContain('×</div>');
  });
});

describe('77 labels', () => {
  const { labels, confusion } = confusion77();
  const final = { ...metricsFrom(labels, confusion), split: 'gold' as const };
  const page = renderReport(fixtureReportData({ summary: fixtureSummary({ final }) }));

  it('renders a bounded matrix of the most confused labels and says so', () => {
    expect(count(page, '<td class="cm')).toBe(TOP_CONFUSED * TOP_CONFUSED);
    expect(page).toContain(`Showing the ${TOP_CONFUSED} of 77 labels most involved in confusions`);
  });

  it('shows the most confused pairs side by side', () => {
    // The biggest confusions are the 9-count pairs g→g+1 for g a multiple of 11.
    expect(mostConfused(confusion, TOP_CONFUSED).slice(0, 6)).toEqual([0, 1, 11, 12, 22, 23]);
    expect(new Set(mostConfused(confusion, 77)).size).toBe(77);
    expect(
      mostConfused(
        [
          [5, 0, 0],
          [0, 9, 0],
          [0, 0, 7],
        ],
        2,
      ),
    ).toEqual([1, 2]);
  });

  it('still lists every label in the per-label table', () => {
    const table = page.slice(page.indexOf('<section id="per-label">'), page.indexOf('<section id="wrong-examples">'));
    expect(count(table, '<tr>')).toBe(78); // header + 77
  });
});

describe('multi-label', () => {
  it('leads with micro-F1 and explains the missing confusion matrix', () => {
    const base = metricsFrom(
      ['a', 'b', 'c'],
      [
        [5, 1, 0],
        [0, 4, 1],
        [1, 0, 6],
      ],
    );
    const final = { ...base, confusion: undefined, microF1: 0.81, split: 'validation' as const };
    const rounds = fixtureSummary().rounds.map((r) => ({
      ...r,
      validation: { ...r.validation, microF1: 0.7 + r.round * 0.05 },
    }));
    const page = renderReport(fixtureReportData({ summary: fixtureSummary({ final, rounds }) }));
    expect(page).toMatch(/Micro-F1<\/div><div class="card-value">81\.0%/);
    expect(page).toContain('a multi-label task has no single confusion matrix');
    expect(page).toContain('val micro-F1');
  });
});

describe('writeReport', () => {
  const dir = mkdtempSync(join(tmpdir(), 'apprentice-report-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes report.html atomically and returns its path', () => {
    const path = writeReport(dir, fixtureReportData());
    expect(path).toBe(join(dir, 'report.html'));
    expect(readFileSync(path, 'utf8')).toBe(renderReport(fixtureReportData()));
    expect(readdirSync(dir)).toEqual(['report.html']);
  });
});

describe('plan against spend', () => {
  const plan = {
    teacher: 'openai:gpt-4o-mini',
    rounds: 3,
    answers: 600,
    requests: 80,
    inputTokens: 40_000,
    outputTokens: 9_000,
    dollars: { online: 0.0114, batch: 0.0057 },
    wallSeconds: 60,
    breakdown: [],
    assumptions: [],
  };
  const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

  it('sets the plan beside what an LLM run spent, row by row', () => {
    const page = text(renderReport(fixtureReportData({ teacherKind: 'llm', summary: fixtureSummary({ plan }) })));
    expect(page).toContain('Plan against spend');
    expect(page).toMatch(/Answers 600 \d/);
    expect(page).toMatch(/Requests 80 \d/);
    expect(page).toMatch(/Input tokens 40,000 \d/);
  });

  it('compares only answers for a dataset teacher, which sends no requests', () => {
    const page = text(renderReport(fixtureReportData({ teacherKind: 'dataset', summary: fixtureSummary({ plan }) })));
    expect(page).toContain('Plan against spend');
    expect(page).toMatch(/Answers 600 \d/);
    expect(page).not.toMatch(/Requests 80/);
    expect(page).toContain('sends no requests');
  });

  it('is absent from runs written before plans existed', () => {
    expect(renderReport(fixtureReportData())).not.toContain('Plan against spend');
  });
});
