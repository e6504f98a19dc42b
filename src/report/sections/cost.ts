import { html, type SafeHtml } from '../escape.js';
import { dollars, dollarsSig, int, sig } from '../format.js';
import type { ReportData } from '../types.js';

/** Per-round dollars come from the round records, which price cached answers at what they first cost. */
export function teacherCost(data: ReportData): SafeHtml {
  const l = data.ledger;
  let prev = { answers: 0, dollars: 0 };
  const rows = data.summary.rounds.map((r) => {
    const answers = r.answers - prev.answers;
    const spent = r.dollars - prev.dollars;
    prev = r;
    return html`<tr><td class="num">${r.round}</td><td class="num">${int(answers)}</td><td class="num">${int(r.answers)}</td>
      <td class="num">${dollars(spent)}</td><td class="num">${dollars(r.dollars)}</td>
      <td class="num">${answers > 0 ? dollarsSig((spent / answers) * 1000) : '—'}</td></tr>`;
  });
  const savedByCache = l.dollarsUsed - l.dollars;
  return html`<section id="teacher-cost">
  <h2>Teacher cost</h2>
  ${data.teacherKind === 'dataset' ? html`<p class="note">Dataset teacher: answers are looked up in a file, so every cost here is zero.</p>` : ''}
  <table class="data">
    <thead><tr><th class="num">round</th><th class="num">answers</th><th class="num">cumulative</th><th class="num">dollars</th><th class="num">cumulative</th><th class="num">$ per 1k answers</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>
  <table class="data kv">
    <tbody>
      <tr><th>Teacher calls</th><td class="num">${int(l.calls)}</td><th>Cache hits</th><td class="num">${int(l.cacheHits)}</td></tr>
      <tr><th>HTTP requests (retries included)</th><td class="num">${int(l.httpRequests)}</td><th>Paid requests</th><td class="num">${int(l.paidRequests)}</td></tr>
      <tr><th>Input tokens</th><td class="num">${int(l.inputTokens)}</td><th>Output tokens</th><td class="num">${int(l.outputTokens)}</td></tr>
      <tr><th>Dollars paid this run</th><td class="num">${dollars(l.dollars)}</td><th>Dollars used (without cache)</th><td class="num">${dollars(l.dollarsUsed)}</td></tr>
      <tr><th>Saved by the cache</th><td class="num">${dollars(savedByCache)}</td><th>Answers</th><td class="num">${int(l.answers)}</td></tr>
    </tbody>
  </table>
  ${planVsSpent(data)}
</section>`;
}

/** Log-scale bars: the two times differ by orders of magnitude, which a linear bar would hide. */
function timeBars(studentUs: number, teacherUs: number): SafeHtml {
  const top = Math.log10(Math.max(teacherUs, studentUs, 10)) + 0.3;
  const w = (us: number) => Math.max(2, (Math.max(0, Math.log10(Math.max(us, 1)) + 0.3) / top) * 100).toFixed(1);
  return html`<div class="timebars">
    <div><span class="tb-label">student</span><span class="tb"><span style="width:${w(studentUs)}%;background:#059669"></span></span><span class="tb-value">${sig(studentUs)} µs</span></div>
    <div><span class="tb-label">teacher</span><span class="tb"><span style="width:${w(teacherUs)}%;background:#dc2626"></span></span><span class="tb-value">${sig(teacherUs / 1000)} ms</span></div>
    <p class="muted">Time per prediction, log scale (1 µs at the left edge).</p>
  </div>`;
}

export function timing(data: ReportData): SafeHtml {
  const us = data.studentMicrosPerPrediction;
  const ms = data.teacherMsPerAnswer;
  const ratio = ms !== null && us > 0 && Number.isFinite(us) ? (ms * 1000) / us : null;
  return html`<section id="timing">
  <h2>Student vs teacher time per prediction</h2>
  <div class="cards">
    <div class="card"><div class="card-label">Student</div><div class="card-value">${sig(us)} µs</div><div class="card-note">per prediction, this machine</div></div>
    <div class="card"><div class="card-label">Teacher</div><div class="card-value">${ms === null ? '—' : `${sig(ms)} ms`}</div><div class="card-note">per answer, live calls (batched, concurrent)</div></div>
    <div class="card"><div class="card-label">Ratio</div><div class="card-value">${ratio === null ? '—' : `${sig(ratio)}×`}</div><div class="card-note">${ratio === null ? 'needs a live teacher time' : 'student faster per prediction'}</div></div>
  </div>
  ${
    ms !== null
      ? timeBars(us, ms * 1000)
      : html`<p class="muted">Teacher time not measured: ${data.teacherKind === 'dataset' ? 'a dataset teacher makes no calls' : 'every answer came from the cache'}.</p>`
  }
</section>`;
}

/** The plan made before the run (`apprentice plan`) beside what the run spent. */
function planVsSpent(data: ReportData): SafeHtml | '' {
  const plan = data.summary.plan;
  if (!plan) return '';
  const t = data.summary.teacher;
  const row = (name: string, planned: number | undefined, spent: number, fmt: (n: number) => string) =>
    html`<tr><th>${name}</th><td class="num">${planned === undefined ? '—' : fmt(planned)}</td><td class="num">${fmt(spent)}</td>
      <td class="num">${planned ? `${sig((spent / planned) * 100)}%` : '—'}</td></tr>`;
  return html`<h3>Plan against spend</h3>
  <p class="muted">The plan is made before the first request from the prompts the run would send; a run that stops early spends less.${data.teacherKind === 'dataset' ? ' A dataset teacher sends no requests and uses no tokens, so only answers are compared.' : ''}</p>
  <table class="data">
    <thead><tr><th></th><th class="num">planned</th><th class="num">spent</th><th class="num">spent / planned</th></tr></thead>
    <tbody>
      ${row('Answers', plan.answers, t.answers, int)}
      ${
        data.teacherKind === 'dataset'
          ? ''
          : html`${row('Requests', plan.requests, t.requests, int)}
      ${row('Input tokens', plan.inputTokens, t.inputTokens, int)}
      ${row('Output tokens', plan.outputTokens, t.outputTokens, int)}
      ${row('Dollars', plan.dollars?.online, t.dollarsUsed, dollars)}`
      }
    </tbody>
  </table>`;
}
