import { api } from './api.js';
import { clear, h, pct } from './dom.js';

/** Type texts, see the student's labels and probabilities. */
export function playgroundView(root: HTMLElement, run: string, hasStudent: boolean): void {
  if (!hasStudent) {
    clear(root, h('p', { class: 'muted' }, 'This run has no student yet: it is saved when the run completes.'));
    return;
  }
  const area = h('textarea', { rows: 5, cols: 80, placeholder: 'One text per line', 'aria-label': 'texts' });
  const out = h('div', { class: 'predictions', 'data-testid': 'predictions' });
  const predict = async () => {
    const texts = area.value
      .split('\n')
      .map((t) => t.trim())
      .filter(Boolean);
    if (texts.length === 0) return clear(out);
    const { predictions } = await api.predict(run, texts.slice(0, 100));
    clear(
      out,
      predictions.map((p) =>
        h(
          'div',
          { class: 'prediction' },
          h(
            'p',
            {},
            h('strong', {}, p.labels.join(', ') || '(none)'),
            ` · margin ${p.margin.toFixed(2)} · `,
            h('span', { class: 'muted' }, p.text),
          ),
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
        ),
      ),
    );
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  area.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void predict(), 250);
  });
  clear(
    root,
    area,
    h(
      'p',
      { class: 'muted' },
      'Feature contributions (which n-grams pushed the label) are not shown yet: the student does not expose them.',
    ),
    out,
  );
}
