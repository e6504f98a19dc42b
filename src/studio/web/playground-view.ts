import { ApiError, api, type Prediction, type TeacherAnswers, type WeightedFeature } from './api.js';
import { clear, h, pct, usd } from './dom.js';

type Answer = TeacherAnswers['answers'][number];

/** A contribution with its sign; three decimals under 0.01, so a small one does not read as zero. */
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(Math.abs(x) < 0.01 ? 3 : 2)}`;

/** An n-gram as a chip: green when it pushed the label up, red when down, with its contribution. */
function chip(f: WeightedFeature): HTMLElement {
  return h(
    'span',
    {
      class: `ngram ${f.weight >= 0 ? 'up' : 'down'} ${f.kind}`,
      title: `${f.kind} n-gram: ${signed(f.weight)} to the logit`,
    },
    h('code', {}, f.feature),
    h('span', { class: 'w' }, signed(f.weight)),
  );
}

/**
 * The text with its words marked by what their word n-gram did to the predicted label: the words
 * a person reads are the evidence the student weighed (char n-grams are in the lists below).
 */
function markedText(p: Prediction): HTMLElement {
  const top = p.explain?.[0];
  const weights = new Map<string, number>();
  for (const f of [...(top?.positive ?? []), ...(top?.negative ?? [])])
    if (f.kind === 'word' && !f.feature.includes(' ')) weights.set(f.feature, f.weight);
  const parts = p.text.split(/([\p{L}\p{N}']+)/u).map((piece) => {
    const w = weights.get(piece.toLowerCase());
    return w === undefined ? piece : h('mark', { class: w >= 0 ? 'up' : 'down', title: signed(w) }, piece);
  });
  return h('p', { class: 'marked', 'data-testid': 'marked' }, parts);
}

function explanation(p: Prediction): HTMLElement | null {
  if (!p.explain) return null;
  return h(
    'div',
    { class: 'explain', 'data-testid': 'explain' },
    p.explain.map((e) =>
      h(
        'div',
        { class: 'label-why', 'data-label': e.label },
        h(
          'h4',
          {},
          e.label,
          h(
            'span',
            { class: 'muted' },
            ` logit ${e.logit.toFixed(2)} = bias ${signed(e.bias)} + ${e.features} n-grams`,
          ),
        ),
        h(
          'div',
          { class: 'chips', 'data-testid': 'toward' },
          e.positive.length ? e.positive.map(chip) : h('span', { class: 'muted' }, 'nothing for it'),
        ),
        h(
          'div',
          { class: 'chips', 'data-testid': 'against' },
          e.negative.length ? e.negative.map(chip) : h('span', { class: 'muted' }, 'nothing against it'),
        ),
      ),
    ),
  );
}

function teacherLine(a: Answer | undefined): HTMLElement | null {
  if (!a) return null;
  const what = a.labels
    ? h('strong', {}, a.labels.join(', ') || '(none)')
    : h('span', { class: 'error' }, `rejected: ${a.rejected}`);
  return h(
    'p',
    { class: 'teacher-answer', 'data-testid': 'teacher-answer' },
    'Teacher: ',
    what,
    h('span', { class: 'muted' }, a.cached ? ' · from the cache, $0' : ` · paid ${usd(a.dollars)}`),
  );
}

function card(p: Prediction, answer: Answer | undefined): HTMLElement {
  return h(
    'div',
    { class: 'prediction' },
    h(
      'p',
      {},
      'Student: ',
      h('strong', {}, p.labels.join(', ') || '(none)'),
      h('span', { class: 'muted' }, ` · margin ${p.margin.toFixed(2)}`),
    ),
    teacherLine(answer),
    markedText(p),
    h(
      'div',
      { class: 'bars' },
      p.probs
        .slice(0, 5)
        .map((x) =>
          h(
            'div',
            { class: 'bar' },
            h('span', { class: 'name' }, x.label),
            h('span', { class: 'fill', style: `width:${Math.round(x.p * 100)}%` }),
            h('span', { class: 'pv' }, pct(x.p)),
          ),
        ),
    ),
    explanation(p),
  );
}

/** Type texts, see the student's labels, probabilities and the n-grams behind them; ask the teacher beside it. */
export function playgroundView(root: HTMLElement, run: string, hasStudent: boolean): void {
  if (!hasStudent) {
    clear(root, h('p', { class: 'muted' }, 'This run has no student yet: it is saved when the run completes.'));
    return;
  }
  const area = h('textarea', { rows: 5, cols: 80, placeholder: 'One text per line', 'aria-label': 'texts' });
  const out = h('div', { class: 'predictions', 'data-testid': 'predictions' });
  const cost = h('p', { class: 'muted', 'data-testid': 'teacher-cost' });
  const answers = new Map<string, Answer>();
  let predictions: Prediction[] = [];
  const texts = () =>
    area.value
      .split('\n')
      .map((t) => t.trim())
      .filter(Boolean);
  const render = () =>
    clear(
      out,
      predictions.map((p) => card(p, answers.get(p.text))),
    );
  const predict = async () => {
    const list = texts();
    predictions = list.length ? (await api.predict(run, list.slice(0, 100))).predictions : [];
    render();
  };
  const ask = h('button', { type: 'button', 'data-testid': 'ask-teacher' }, 'Ask the teacher');
  ask.addEventListener('click', async () => {
    const list = texts().slice(0, 20);
    if (list.length === 0) return;
    ask.disabled = true;
    clear(cost, `Asking ${list.length} text${list.length === 1 ? '' : 's'}…`);
    try {
      const r = await api.teacher(run, list);
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
        ' asks the run’s teacher about each text (up to 20), through the cache and within the task’s budget; the key stays on the server.',
      ),
    ),
    cost,
    out,
  );
}
