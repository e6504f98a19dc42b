import { ApiError, type TeacherReply } from './api.js';
import { clear, h, usd } from './dom.js';

/** What a task kind puts in the playground: how to predict, how to ask, how to draw one text. */
export interface PlaygroundKind<P extends { text: string }, A extends { text: string }> {
  predict: (texts: string[]) => Promise<P[]>;
  ask: (texts: string[]) => Promise<TeacherReply<A>>;
  card: (prediction: P, answer: A | undefined) => HTMLElement;
  /** Which teacher the button asks, in the line beside it ("the run’s teacher"). */
  teacherName: string;
}

/**
 * The playground both task kinds share: type texts (one a line; the student answers as you type),
 * and "Ask the teacher" sends up to 20 to the run's teacher from the server, through the cache and
 * within the task's budget, with what the ask cost and what the playground has spent (the key never
 * reaches the page). The kind draws each text's card.
 */
export function playgroundFrame<P extends { text: string }, A extends { text: string }>(
  root: HTMLElement,
  hasStudent: boolean,
  kind: PlaygroundKind<P, A>,
): void {
  if (!hasStudent) {
    clear(root, h('p', { class: 'muted' }, 'This run has no student yet: it is saved when the run completes.'));
    return;
  }
  const area = h('textarea', { rows: 5, cols: 80, placeholder: 'One text per line', 'aria-label': 'texts' });
  const out = h('div', { class: 'predictions', 'data-testid': 'predictions' });
  const cost = h('p', { class: 'muted', 'data-testid': 'teacher-cost' });
  const answers = new Map<string, A>();
  let predictions: P[] = [];
  const texts = () =>
    area.value
      .split('\n')
      .map((t) => t.trim())
      .filter(Boolean);
  const render = () =>
    clear(
      out,
      predictions.map((p) => kind.card(p, answers.get(p.text))),
    );
  const predict = async () => {
    const list = texts();
    predictions = list.length ? await kind.predict(list.slice(0, 100)) : [];
    render();
  };
  const ask = h('button', { type: 'button', 'data-testid': 'ask-teacher' }, 'Ask the teacher');
  ask.addEventListener('click', async () => {
    const list = texts().slice(0, 20);
    if (list.length === 0) return;
    ask.disabled = true;
    clear(cost, `Asking ${list.length} text${list.length === 1 ? '' : 's'}…`);
    try {
      const r = await kind.ask(list);
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
        ` asks ${kind.teacherName} about each text (up to 20), through the cache and within the task’s budget; the key stays on the server.`,
      ),
    ),
    cost,
    out,
  );
}
