import { api, type SpanPrediction, type SpanTeacherAnswers } from './api.js';
import { h, pct, usd } from './dom.js';
import { playgroundFrame } from './playground-frame.js';
import { markedText } from './span-data-view.js';

type Answer = SpanTeacherAnswers['answers'][number];

const scored = (sp: { type: string; confidence: number }) => `${sp.type} ${pct(sp.confidence, 0)}`;

function teacherLine(a: Answer | undefined, types: readonly string[]): HTMLElement | null {
  if (!a) return null;
  return h(
    'div',
    { class: 'teacher-answer', 'data-testid': 'teacher-answer' },
    'Teacher: ',
    a.spans
      ? a.spans.length
        ? markedText(a.text, a.spans, types)
        : h('strong', {}, '(no spans)')
      : h('span', { class: 'error' }, `rejected: ${a.rejected}`),
    h('span', { class: 'muted' }, a.cached ? ' · from the cache, $0' : ` · paid ${usd(a.dollars)}`),
    a.rejectedMentions?.length
      ? h(
          'span',
          { class: 'muted' },
          ` · mentions it gave that could not be placed: ${a.rejectedMentions.map((m) => `${m.raw} (${m.reason})`).join('; ')}`,
        )
      : null,
  );
}

function card(p: SpanPrediction, answer: Answer | undefined, types: readonly string[]): HTMLElement {
  return h(
    'div',
    { class: 'prediction', 'data-testid': 'span-prediction' },
    h(
      'p',
      { class: 'marked-line' },
      'Student: ',
      p.spans.length ? markedText(p.text, p.spans, types, scored) : h('strong', {}, '(no spans)'),
    ),
    h(
      'p',
      { class: 'muted' },
      `${p.spans.length} span${p.spans.length === 1 ? '' : 's'} · whole tagging ${pct(p.confidence)} likely`,
      p.spans.length ? ` · ${p.spans.map((s) => `${s.text} = ${s.type} (${pct(s.confidence)})`).join(', ')}` : '',
    ),
    teacherLine(answer, types),
  );
}

/**
 * The playground of an extraction run: type texts (one a line) and see the student's spans in their
 * type's colour with its confidence in each; "Ask the teacher" sends them to the run's extraction
 * teacher from the server (cache, budget, cost shown; the key never reaches the page).
 */
export function spanPlaygroundView(root: HTMLElement, run: string, hasStudent: boolean, types: string[]): void {
  playgroundFrame(root, hasStudent, {
    predict: async (texts) => (await api.predictSpans(run, texts)).predictions,
    ask: (texts) => api.spanTeacher(run, texts),
    card: (p, answer) => card(p, answer, types),
    teacherName: 'the run’s extraction teacher',
  });
}
