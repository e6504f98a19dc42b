import { api } from './api.js';
import { dataView } from './data-view.js';
import { clear, h } from './dom.js';
import { scoreText } from './kind.js';
import { spanDataView } from './span-data-view.js';
import { spanPlaygroundView } from './span-playground-view.js';
import { spanReviewView } from './span-review-view.js';
import { playgroundView } from './playground-view.js';
import { reviewView } from './review-view.js';
import { overview, retrainPanel, stopButton } from './run-view.js';
import { runsView } from './runs-view.js';

/** Hash routes: #/ (runs), #/run/<name>[/overview|data|review|playground][?filters]. */
const app = document.getElementById('app')!;
const crumbs = document.getElementById('crumbs')!;
let cleanup: (() => void) | undefined;
let generation = 0;

const TABS = ['overview', 'data', 'review', 'playground'] as const;

async function route(): Promise<void> {
  cleanup?.();
  cleanup = undefined;
  const mine = ++generation;
  const [path, qs] = location.hash.replace(/^#/, '').split('?');
  const query = new URLSearchParams(qs ?? '');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  try {
    if (parts[0] !== 'run' || !parts[1]) {
      clear(crumbs);
      const stop = await runsView(app);
      if (mine === generation) cleanup = stop;
      else stop();
      return;
    }
    const name = parts[1];
    const tab = (TABS as readonly string[]).includes(parts[2]) ? parts[2] : 'overview';
    const run = await api.run(name);
    if (mine !== generation) return;
    clear(crumbs, h('a', { href: '#/' }, 'Runs'), ' / ', h('span', {}, name));
    const body = h('div', { class: 'tab-body' });
    clear(
      app,
      h(
        'div',
        { class: 'run-head' },
        h('h1', {}, name),
        h('span', { class: `status ${run.status}`, 'data-testid': 'run-status' }, run.status),
        // A running run's figures move: the overview's live stats show them, not this line.
        h(
          'span',
          { class: 'muted' },
          run.status === 'running' ? run.task : `${run.task} · ${scoreText(run)} · ${run.answers} answers`,
        ),
        await stopButton(run),
      ),
      retrainPanel(run),
      h(
        'nav',
        { class: 'tabs' },
        TABS.map((t) =>
          h('a', { href: `#/run/${encodeURIComponent(name)}/${t}`, class: t === tab ? 'active' : '' }, t),
        ),
      ),
      body,
    );
    if (tab === 'overview') cleanup = overview(body, run, () => void route());
    else if (run.kind === 'extract' && tab === 'data') await spanDataView(body, name, query);
    else if (run.kind === 'extract' && tab === 'review') {
      const stop = await spanReviewView(body, name);
      if (mine === generation) cleanup = stop;
      else stop();
    } else if (run.kind === 'extract') spanPlaygroundView(body, name, run.hasStudent, run.labels);
    else if (tab === 'data') await dataView(body, name, query);
    else if (tab === 'review') {
      const stop = await reviewView(body, name, run.labels, query);
      if (mine === generation) cleanup = stop;
      else stop();
    } else playgroundView(body, name, run.hasStudent);
  } catch (e) {
    if (mine === generation) clear(app, h('p', { class: 'error' }, (e as Error).message));
  }
}

window.addEventListener('hashchange', () => void route());
void route();
