import { html, type SafeHtml } from '../escape.js';
import { bytes, duration, STOP_REASONS } from '../format.js';
import type { ReportData } from '../types.js';

export function header(data: ReportData, generatedAt: string): SafeHtml {
  const s = data.summary;
  const failed = s.status !== 'complete';
  return html`<header>
  <p class="eyebrow">Apprentice distillation report</p>
  <h1>${s.task}</h1>
  ${
    data.teacherKind === 'dataset'
      ? html`<div class="banner banner-info" id="dataset-teacher"><strong>Teacher: dataset file</strong> — labels came from a labeled file, not an LLM; costs are zero.</div>`
      : ''
  }
  ${failed ? html`<div class="banner banner-error"><strong>This run failed.</strong> The figures below describe the student as it was when the run stopped.</div>` : ''}
  <dl class="meta">
    <div><dt>Status</dt><dd><span class="badge ${failed ? 'badge-bad' : 'badge-good'}">${s.status}</span></dd></div>
    <div><dt>Stop reason</dt><dd>${s.stopReason} <span class="muted">(${STOP_REASONS[s.stopReason] ?? ''})</span></dd></div>
    <div><dt>Teacher</dt><dd><code>${data.teacherId}</code> <span class="muted">(${data.teacherKind === 'dataset' ? 'dataset file' : 'LLM'})</span></dd></div>
    <div><dt>Student</dt><dd><code>${s.student.kind}</code> <span class="muted">(${bytes(s.student.modelBytes)})</span></dd></div>
    <div><dt>Run</dt><dd><code>${s.runId}</code></dd></div>
    <div><dt>Duration</dt><dd>${duration(s.ms)}</dd></div>
    <div><dt>Generated</dt><dd>${generatedAt}</dd></div>
  </dl>
</header>`;
}
