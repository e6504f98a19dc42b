import { ApiError, api, type Plan, type RunItem } from './api.js';
import { curveChart } from './charts.js';
import { clear, h, int, usd } from './dom.js';
import { metricOf, metricTitle, scoreText } from './kind.js';

const selected = new Set<string>();

/** The runs list: status, accuracy, answers, dollars, stop reason; compare ticked runs on one chart; start a run. */
export async function runsView(root: HTMLElement): Promise<() => void> {
  const { runs } = await api.runs();
  const compare = h('section', { id: 'compare' });
  const drawCompare = () => {
    const chosen = runs.filter((r) => selected.has(r.name));
    if (chosen.length < 2) {
      clear(compare, h('p', { class: 'muted' }, 'Tick two or more runs to compare their learning curves.'));
      return;
    }
    const metrics = new Set(chosen.map(metricOf));
    if (metrics.size > 1) {
      clear(
        compare,
        h(
          'p',
          { class: 'muted', 'data-testid': 'compare-mixed' },
          'Tick runs of one task kind to compare them: classification accuracy and extraction span F1 are different measures.',
        ),
      );
      return;
    }
    const metric = metricOf(chosen[0]);
    const free = chosen.every((r) => r.dollars === 0);
    clear(
      compare,
      h('h2', {}, `Comparing ${chosen.length} runs`),
      h(
        'div',
        { class: 'charts' },
        curveChart(chosen, 'answers', `${metricTitle(metric)} against teacher answers`, metric),
        free
          ? h('div', { class: 'chart-empty' }, 'Every compared run cost $0: no curve against dollars.')
          : curveChart(chosen, 'dollars', `${metricTitle(metric)} against dollars`, metric),
      ),
    );
  };
  const row = (r: RunItem) =>
    h(
      'tr',
      { 'data-run': r.name },
      h(
        'td',
        {},
        h('input', {
          type: 'checkbox',
          'aria-label': `compare ${r.name}`,
          checked: selected.has(r.name),
          onchange: (e: Event) => {
            if ((e.target as HTMLInputElement).checked) selected.add(r.name);
            else selected.delete(r.name);
            drawCompare();
          },
        }),
      ),
      h('td', {}, h('a', { href: `#/run/${encodeURIComponent(r.name)}` }, r.name)),
      h('td', {}, r.task),
      h('td', {}, h('span', { class: `status ${r.status}` }, r.status)),
      h('td', { class: 'num', title: metricOf(r) === 'f1' ? 'span F1 (micro, exact)' : 'accuracy' }, scoreText(r)),
      h('td', { class: 'num' }, int(r.answers)),
      h('td', { class: 'num' }, usd(r.dollars)),
      h('td', { class: 'num' }, r.rounds),
      h(
        'td',
        {},
        r.retrainOf
          ? h('span', {}, 'retrain of ', h('a', { href: `#/run/${encodeURIComponent(r.retrainOf)}` }, r.retrainOf))
          : (r.stopReason ?? ''),
      ),
      h('td', { class: 'muted' }, r.startedAt.replace('T', ' ').slice(0, 19)),
    );
  clear(
    root,
    h('h1', {}, 'Runs'),
    runs.length === 0
      ? h(
          'p',
          { class: 'muted' },
          'No runs under the runs directory yet. Start one below or with `apprentice distill`.',
        )
      : h(
          'table',
          { class: 'runs' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              [
                '',
                'Run',
                'Task',
                'Status',
                'Accuracy / span F1',
                'Answers',
                'Dollars',
                'Rounds',
                'Stop reason',
                'Started (UTC)',
              ].map((t) => h('th', {}, t)),
            ),
          ),
          h('tbody', {}, runs.map(row)),
        ),
    compare,
    startForm(),
  );
  drawCompare();
  // The list is cheap to read again: refresh while any run is going.
  const timer = runs.some((r) => r.status === 'running') ? setInterval(() => void refresh(root), 2000) : undefined;
  return () => timer && clearInterval(timer);
}

async function refresh(root: HTMLElement): Promise<void> {
  const { runs } = await api.runs();
  const body = root.querySelector('table.runs tbody');
  if (!body) return;
  for (const r of runs) {
    const tr = body.querySelector(`tr[data-run="${CSS.escape(r.name)}"]`);
    if (!tr) {
      location.hash = '#/';
      window.dispatchEvent(new HashChangeEvent('hashchange'));
      return;
    }
    const cells = tr.querySelectorAll('td');
    cells[3].replaceChildren(h('span', { class: `status ${r.status}` }, r.status));
    cells[4].textContent = scoreText(r);
    cells[5].textContent = int(r.answers);
    cells[6].textContent = usd(r.dollars);
    cells[7].textContent = String(r.rounds);
    cells[8].textContent = r.stopReason ?? '';
  }
}

function planBox(p: Plan): HTMLElement {
  return h(
    'div',
    { class: 'plan', 'data-testid': 'plan' },
    h('strong', {}, 'Estimated cost: '),
    p.dollars
      ? `${usd(p.dollars.online)} online (${usd(p.dollars.batch)} at batch rate)`
      : 'no price known (free or unpriced teacher)',
    ` · ${int(p.answers)} answers · ${int(p.requests)} requests · about ${Math.ceil(p.wallSeconds / 60)} min · teacher ${p.teacher}`,
  );
}

/** Start a run from a task file: the plan (and its dollars) is shown before anything is sent. */
function startForm(): HTMLElement {
  const input = h('input', { type: 'text', name: 'taskFile', placeholder: 'path/to/task.yaml', size: 50 });
  const out = h('div', { class: 'start-out' });
  let planned: string | undefined;
  const start = h('button', { type: 'button', disabled: true }, 'Start run');
  const planBtn = h('button', { type: 'button' }, 'Show plan');
  planBtn.addEventListener('click', async () => {
    try {
      const r = await api.plan(input.value);
      planned = input.value;
      clear(out, planBox(r.plan));
      start.disabled = false;
      start.textContent =
        r.plan.dollars && r.plan.dollars.online > 0
          ? `Start and spend up to ${usd(r.plan.dollars.online)}`
          : 'Start run';
    } catch (e) {
      clear(out, h('p', { class: 'error' }, (e as Error).message));
    }
  });
  start.addEventListener('click', async () => {
    if (planned !== input.value) return;
    try {
      const r = await api.start(planned, true);
      location.hash = `#/run/${encodeURIComponent(r.name)}`;
    } catch (e) {
      clear(out, h('p', { class: 'error' }, e instanceof ApiError ? e.message : String(e)));
    }
  });
  input.addEventListener('input', () => {
    start.disabled = planned !== input.value;
  });
  return h(
    'section',
    { class: 'start' },
    h('h2', {}, 'Start a run'),
    h('div', { class: 'row' }, input, planBtn, start),
    out,
  );
}
