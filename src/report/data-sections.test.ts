import { describe, expect, it } from 'vitest';
import { renderReport } from './render.js';
import { fixtureDataStats, fixtureReportData, fixtureSummary } from './report.fixture.js';
import { points } from './sections/bandit.js';
import { worstEver } from './sections/skills.js';
import type { ReportData } from './types.js';

function section(page: string, id: string): string {
  const start = page.indexOf(`<section id="${id}">`);
  expect(start).toBeGreaterThanOrEqual(0);
  return page.slice(start, page.indexOf('</section>', start));
}

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

/** The fixture run with every data record taken away, as an older or a plain run would have it. */
function bare(overrides: Partial<ReportData> = {}): ReportData {
  const rounds = fixtureSummary().rounds.map(({ arms: _a, filters: _f, skills: _s, labelNoise: _l, ...r }) => r);
  return fixtureReportData({
    summary: fixtureSummary({ rounds, data: undefined, poolExcludedAsLeakage: 0 }),
    checks: undefined,
    ...overrides,
  });
}

describe('data sections, full run', () => {
  const page = renderReport(fixtureReportData());

  it('links every data section from the nav', () => {
    for (const id of ['diversity', 'filters', 'skills', 'bandit']) expect(page).toContain(`<a href="#${id}">`);
  });

  it('shows diversity, near-duplicates, label balance, by source and attribute coverage', () => {
    const s = section(page, 'diversity');
    expect(s).toMatch(/Distinct-1<\/div><div class="card-value">0\.171</);
    expect(s).toMatch(/Distinct-2<\/div><div class="card-value">0\.552</);
    expect(s).toMatch(/Near-duplicates<\/div><div class="card-value">1\.0%/);
    expect(s).toContain('6 of 619 rows have another row ≥ 0.90 similar');
    expect(s).toMatch(/Label balance<\/div><div class="card-value">0\.98</);
    expect(s).toContain('fewest rows 68, most 160');
    expect(s).toMatch(/<td>seed<\/td><td class="num">6<\/td><td class="num">0\.820<\/td>/);
    expect(s).toMatch(/<td>pool<\/td><td class="num">438<\/td>/);
    expect(s).toMatch(/<th>all rows<\/th><td class="num">619<\/td>/);
    // Source rows in seed, pool, generated order whatever the record's key order.
    expect(s.indexOf('<td>seed</td>')).toBeLessThan(s.indexOf('<td>pool</td>'));
    expect(s.indexOf('<td>pool</td>')).toBeLessThan(s.indexOf('<td>generated</td>'));
    expect(s).toMatch(/<td>billing<\/td><td class="num">160<\/td><td class="num">25\.8%<\/td>/);
    expect(s).toContain('style="width:42.5%"'); // other: 68 / 160
    expect(s).toContain('<td>confusedWith</td><td class="num">60</td><td class="num">3</td><td>generated 60</td>');
    expect(s).toContain('bug_report ×34');
    expect(s).toContain('sarcastic &amp; terse ×6');
    expect(s).toContain('+3 more'); // tone: 11 distinct, 8 shown
  });

  it('shows what each filter removed, per filter and per round, with reasons', () => {
    const s = section(page, 'filters');
    expect(s).toContain(
      '<tr><td>dedup</td><td class="num">3</td><td class="num">7</td><td class="num">0</td><td class="num">0</td></tr>',
    );
    expect(s).toContain(
      '<tr><td>verify</td><td class="num">2</td><td class="num">5</td><td class="num">3</td><td class="num">168</td></tr>',
    );
    expect(s).toMatch(
      /<td class="num">1<\/td><td>verify<\/td><td class="num">3<\/td><td class="num">2<\/td><td class="num">80<\/td>/,
    );
    expect(s).toContain('teacher verification says feature_request');
    // Leakage removed nothing in round 1: counted in its total, not listed.
    expect(s).not.toMatch(/<td class="num">1<\/td><td>leakage<\/td>/);
    expect(s).toMatch(/<td class="num">2<\/td><td>leakage<\/td><td class="num">2<\/td>/);
    expect(s).toContain('of an evaluation text: &quot;How do I reset my password?&quot;');
  });

  it('totals the leakage guard, pool texts set aside included', () => {
    const s = section(page, 'filters');
    expect(s).toContain('Leakage guard: 6 texts kept out');
    expect(s).toContain('3 pool texts set aside before labeling');
    expect(s).toContain('3 new rows removed by the leakage filter');
  });

  it('lists the label-noise check per round with a total', () => {
    const s = section(page, 'filters');
    expect(s).toContain(
      '<tr><td class="num">0</td><td class="num">6</td><td class="num">2</td><td class="num">6</td></tr>',
    );
    expect(s).toContain('<tr><th>total</th><td class="num">13</td><td class="num">3</td><td class="num">13</td></tr>');
    expect(s).toContain('Flagged rows get a second opinion');
  });

  it('shows the latest skill profile and the 5 worst values across rounds', () => {
    const s = section(page, 'skills');
    expect(s).toContain('Worst values after round 2');
    expect(s).toMatch(
      /<td>cluster<\/td><td>other#1<\/td>\s*<td><span class="chip">other<\/span><\/td>\s*<td class="num">45\.0%<\/td><td class="num">5<\/td><td class="num">11<\/td>/,
    );
    expect(s).toMatch(/<td>tone<\/td><td>sarcastic &amp; terse<\/td>\s*<td><span class="muted">any<\/span><\/td>/);
    expect(s).toContain('The 5 worst of any round, across rounds');
    expect(count(s, '<svg class="chart"')).toBe(1);
    // other#1 in 3 rounds, tone in 1, feature_request#0 in 3, bug_report#2 in 3, account_access#3 in 2.
    expect(count(s, '<circle')).toBe(12);
    expect(s).toContain('cluster = other#1: 64% at 0');
    expect(s).not.toContain('billing#1: '); // 6th worst: in the table, not followed
    // The fixture predates data.skillSteer: steering then aimed generation and weights.
    expect(s).toContain(
      'It steered the loop (data.skillProfile: steer): generation was asked for the worst values; rows of the worst values weighed more',
    );
  });

  it('names what the skill profile steered (data.skillSteer)', () => {
    const data = fixtureReportData();
    const s = section(renderReport({ ...data, checks: { ...data.checks!, skillSteer: ['pool'] } }), 'skills');
    expect(s).toContain(
      'It steered the loop (data.skillProfile: steer): a share of each round’s pool picks went to the values with the most errors.',
    );
    expect(s).not.toContain('generation was asked');
  });

  it('says when the skill profile was measured for the report only and did not steer the loop', () => {
    const data = fixtureReportData();
    const s = section(renderReport({ ...data, checks: { ...data.checks!, skillProfile: 'report' } }), 'skills');
    expect(s).toContain('Worst values after round 2');
    expect(s).toContain('Measured for this report only: it did not steer the loop');
    expect(s).not.toContain('It steered the loop');
  });

  it('draws the answers per arm per round and tabulates answers, rows and gain', () => {
    const s = section(page, 'bandit');
    expect(count(s, '<svg class="chart"')).toBe(1);
    expect(count(s, '<rect x=') - 1).toBe(9); // 2 + 3 + 4 segments, plus the frame
    expect(s).toContain('<title>hard-negative: 40 (round 1)</title>');
    expect(s).toMatch(
      /<\/span>pool<\/td><td class="num">440<\/td><td class="num">440<\/td>\s*<td class="num">\+0\.0245<\/td><td class="num">2<\/td>/,
    );
    expect(s).toContain('−0.0040');
    expect(s).toMatch(
      /<td class="num">2<\/td><td><span class="key">.*?<\/span>attribute<\/td>\s*<td class="num">40<\/td><td class="num">40<\/td><td class="num">1<\/td>\s*<td class="num">\+0\.0090<\/td>/,
    );
    // Round 0 has no measured gain: the bandit learns from round 1 on.
    expect(s).toMatch(
      /<td class="num">0<\/td><td><span class="key">.*?<\/span>pool<\/td>\s*<td class="num">200<\/td><td class="num">200<\/td><td class="num">1<\/td>\s*<td class="num">—<\/td>/,
    );
    expect(s.indexOf('</span>pool</td>')).toBeLessThan(s.indexOf('</span>weak-label</td>'));
  });

  it('says the split followed gain per answer when no price was known, with no dollars column', () => {
    const s = section(page, 'bandit');
    expect(s).toContain('gained more per answer so far');
    expect(s).not.toContain('<th class="num">dollars</th>');
  });

  it("with a price, shows each arm's dollars per round and in all, and says the split followed gain per dollar", () => {
    const rounds = fixtureSummary().rounds.map((r) => ({
      ...r,
      arms: Object.fromEntries(
        Object.entries(r.arms ?? {}).map(([k, a]) => [k, { ...a, dollars: k === 'pool' ? 0.01 : 0.25 }]),
      ),
    }));
    const s = section(renderReport(fixtureReportData({ summary: fixtureSummary({ rounds }) })), 'bandit');
    expect(s).toContain('gained more per dollar (the teacher&#39;s price is known');
    expect(count(s, '<th class="num">dollars</th>')).toBe(2);
    // pool: 0.01 in each of the 3 rounds it spent answers.
    expect(s).toMatch(
      /<\/span>pool<\/td><td class="num">440<\/td><td class="num">\$0\.0300<\/td><td class="num">440<\/td>/,
    );
    expect(s).toMatch(
      /<td class="num">1<\/td><td><span class="key">.*?<\/span>weak-label<\/td>\s*<td class="num">40<\/td><td class="num">\$0\.25<\/td>/,
    );
  });

  it('formats gains as signed points', () => {
    expect(points(0.0123)).toBe('+0.0123');
    expect(points(-0.004)).toBe('−0.0040');
    expect(points(0)).toBe('±0.0000');
    expect(points(undefined)).toBe('—');
  });
});

describe('skill profile over rounds', () => {
  const skill = (value: string, errorRate: number, support = 10) => ({
    attribute: 'cluster',
    value,
    errorRate,
    support,
  });

  it('follows the values that were worst in any round, ties to more support', () => {
    const rounds = [
      { skills: [skill('a', 0.5), skill('b', 0.4, 8), skill('c', 0.4, 12)] },
      { skills: [skill('a', 0.1), skill('d', 0.3), skill('e', 0)] },
    ];
    expect(worstEver(rounds, 3).map((s) => [s.value, s.errorRate])).toEqual([
      ['a', 0.5],
      ['c', 0.4],
      ['b', 0.4],
    ]);
    expect(worstEver(rounds, 9).map((s) => s.value)).toEqual(['a', 'c', 'b', 'd']); // e: never wrong
  });

  it('says when the latest round has no errors left, and still shows how earlier weaknesses went', () => {
    const rounds = fixtureSummary().rounds.map((r, i) =>
      i < 2 ? r : { ...r, skills: (r.skills ?? []).map((s) => ({ ...s, errorRate: 0 })) },
    );
    const s = section(renderReport(fixtureReportData({ summary: fixtureSummary({ rounds }) })), 'skills');
    expect(s).toContain('None: the student gets every one of the 6 recorded values right.');
    expect(s).toContain('cluster = other#1: 0% at 2');
    expect(s).toContain('—: not among the values that round recorded'); // tone: rated in round 2 only
  });
});

describe('data sections escape what came from outside', () => {
  const evil = '<img src=x onerror="alert(1)">';
  const data = fixtureDataStats();
  data.attributes[0] = {
    name: `topic${evil}`,
    rows: 2,
    distinct: 1,
    bySource: { generated: 2 },
    values: [{ value: evil, rows: 2 }],
  };
  data.labels[0].label = `<b>billing</b>`;
  const rounds = fixtureSummary().rounds.map((r) => ({
    ...r,
    skills: [
      { attribute: `a${evil}`, value: `<script>x</script>`, label: '"><i>', errorRate: 0.5, support: 8 },
      ...(r.skills ?? []),
    ],
    filters: {
      ...r.filters,
      verify: { removed: 1, relabeled: 0, answers: 1, examples: [`teacher verification says <script>y</script>`] },
    },
    arms: { ...r.arms, '<u>arm</u>': { answers: 5, rows: 1 } },
  }));
  const page = renderReport(fixtureReportData({ summary: fixtureSummary({ rounds, data }) }));

  it('never lets markup through', () => {
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<b>billing');
    expect(page).not.toContain('<u>arm');
    expect(page).not.toContain('"><i>');
    expect(page).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    expect(page).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(page).toContain('teacher verification says &lt;script&gt;y&lt;/script&gt;');
    expect(page).toContain('&lt;u&gt;arm&lt;/u&gt;');
  });
});

describe('data sections say plainly when there is nothing', () => {
  it('without records or settings', () => {
    const page = renderReport(bare());
    expect(section(page, 'diversity')).toContain('Not computed for this run');
    expect(section(page, 'filters')).toContain('No filter records');
    expect(section(page, 'filters')).toContain('Leakage guard off</strong> (no leakage filter ran in any round)');
    expect(section(page, 'filters')).toContain('Label-noise check off: no round ran it');
    expect(section(page, 'skills')).toContain('Skill profile off: no round recorded one');
    expect(section(page, 'bandit')).toContain('No arm records');
    expect(page).not.toContain('<svg class="chart" role="img" aria-label="Teacher answers per arm');
  });

  it('with the checks switched off', () => {
    const page = renderReport(
      bare({
        checks: { labelNoise: 'off', leakageGuard: false, skillProfile: 'off', bandit: false, closedLoop: true },
      }),
    );
    expect(section(page, 'filters')).toContain('Leakage guard off</strong>: training rows');
    expect(section(page, 'filters')).toContain('Label-noise check off (data.labelNoise: off)');
    expect(section(page, 'skills')).toContain('Skill profile off (data.skillProfile: off)');
  });

  it('when a check was on but found nothing, or the bandit was off', () => {
    const rounds = fixtureSummary().rounds.map((r) => ({
      ...r,
      skills: [],
      labelNoise: undefined,
      filters: Object.fromEntries(
        Object.keys(r.filters ?? {}).map((k) => [k, { removed: 0, relabeled: 0, answers: 0, examples: [] }]),
      ),
      arms: Object.fromEntries(Object.entries(r.arms ?? {}).map(([k, a]) => [k, { answers: a.answers, rows: a.rows }])),
    }));
    const page = renderReport(
      fixtureReportData({
        summary: fixtureSummary({ rounds, data: { ...fixtureDataStats(), rows: 0 } }),
        checks: { labelNoise: 'review', leakageGuard: true, skillProfile: 'steer', bandit: false, closedLoop: true },
      }),
    );
    expect(section(page, 'diversity')).toContain('No training rows.');
    expect(section(page, 'filters')).toContain('No filter removed, relabeled or spent anything in any round.');
    expect(section(page, 'skills')).toContain('None to show: no attribute value had enough validation rows');
    expect(section(page, 'skills')).not.toContain('<svg');
    expect(section(page, 'filters')).toContain('Label-noise check on (review) but no round ran it');
    expect(section(page, 'bandit')).toContain('Bandit off: shares were fixed, and no gain was measured.');
  });

  it('names review mode and lists no attributes when rows carry none', () => {
    const data = { ...fixtureDataStats(), attributes: [] };
    const page = renderReport(
      fixtureReportData({
        summary: fixtureSummary({ data }),
        checks: { labelNoise: 'review', leakageGuard: true, skillProfile: 'steer', bandit: true, closedLoop: true },
      }),
    );
    expect(section(page, 'filters')).toContain('Review mode: flagged rows are listed in review.jsonl');
    expect(section(page, 'diversity')).toContain('None: no training row carries an attribute');
  });
});
