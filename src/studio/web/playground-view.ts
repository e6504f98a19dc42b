import { api, type Prediction, type TeacherAnswers, type WeightedFeature } from './api.js';
import { h, pct, usd } from './dom.js';
import { playgroundFrame } from './playground-frame.js';

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
  playgroundFrame(root, hasStudent, {
    predict: async (texts) => (await api.predict(run, texts)).predictions,
    ask: (texts) => api.teacher(run, texts),
    card,
    teacherName: 'the run’s teacher',
  });
}
