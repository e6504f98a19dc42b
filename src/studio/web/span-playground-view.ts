import { ApiError, api, type SpanPrediction, type SpanTeacherAnswers } from './api.js';
import { clear, h, pct, usd } from './dom.js';
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
  if (!hasStudent) {
    clear(root, h('p', { class: 'muted' }, 'This run has no student yet: it is saved when the run completes.'));
    return;
  }
  const area = h('textarea', { rows: 5, cols: 80, placeholder: 'One text per line', 'aria-label': 'texts' });
  const out = h('div', { class: 'predictions', 'data-testid': 'predictions' });
  const cost = h('p', { class: 'muted', 'data-testid': 'teacher-cost' });
  const answers = new Map<string, Answer>();
  let predictions: SpanPrediction[] = [];
  const texts = () =>
    area.value
      .split('\n')
      .map((t) => t.trim())
      .filter(Boolean);
  const render = () =>
    clear(
      out,
      predictions.map((p) => card(p, answers.get(p.text), types)),
    );
  const predict = async () => {
    const list = texts();
    predictions = list.length ? (await api.predictSpans(run, list.slice(0, 100))).predictions : [];
    render();
  };
  const ask = h('button', { type: 'button', 'data-testid': 'ask-teacher' }, 'Ask the teacher');
  ask.addEventListener('click', async () => {
    const list = texts().slice(0, 20);
    if (list.length === 0) return;
    ask.disabled = true;
    clear(cost, `Asking ${list.length} text${list.length === 1 ? '' : 's'}…`);
    try {
      const r = await api.spanTeacher(run, list);
      for (const a of r.answers) answers.set(a.text, a);
      const caps = [
        r.budget.answers !== undefined
          ? `${r.spent.answers} of ${r.budget.answers} answers`
          : `${r.spent.answers} answers`,
        r.budget.dollars !== undefined ? `${usd(r.spent.dollars)} of ${usd(r.budget.dollars)}` : usd(r.spent.dollars),
      ];
      clear(
        cost,
        `${r.teacher}: this ask cost ${usd(r.cost.dollars)} (${r.cost.answers} new answer${r.cost.answers === 1 ? '' : 's'}, ` +
          `the rest from the cache)${r.priced ? '' : '; this teacher has no price, so it is free'}. ` +
          `The playground has spent ${caps.join(', ')} of this run's budget.`,
        r.stopped ? h('span', { class: 'error' }, ` Stopped: ${r.stopped}`) : null,
      );
      render();
    } catch (err) {
      clear(cost, h('span', { class: 'error' }, err instanceof ApiError ? err.message : String(err)));
    } finally {
      ask.disabled = false;
    }
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  area.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void predict(), 250);
  });
  clear(
    root,
    area,
    h(
      'div',
      { class: 'ask' },
      ask,
      h(
        'span',
        { class: 'muted' },
        ' asks the run’s extraction teacher about each text (up to 20), through the cache and within the task’s budget; the key stays on the server.',
      ),
    ),
    cost,
    out,
  );
}
