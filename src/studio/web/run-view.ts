import {
  ApiError,
  api,
  type CurvePoint,
  type Retrain,
  type RunDetail,
  type Scores,
  type SpanRetrainScores,
  type StudioEvent,
} from './api.js';
import { curveChart } from './charts.js';
import { clear, h, int, pct, usd } from './dom.js';
import { extractScores } from './extract-scores.js';
import { metricOf, metricTitle } from './kind.js';

/** Live state of a run, folded from its events: what the overview shows while it runs. */
interface LiveState {
  round: number;
  done: number;
  total: number;
  answers: number;
  dollars: number;
  status: string;
  curve: CurvePoint[];
  lastEvent: string;
}

function fold(s: LiveState, e: StudioEvent): void {
  s.lastEvent = e.type;
  if (e.type === 'round-start') {
    s.round = Number(e.round);
    s.answers = Number(e.answersUsed);
  } else if (e.type === 'acquire-progress') {
    s.done = Number(e.done);
    s.total = Number(e.total);
  } else if (e.type === 'teacher-call-end') {
    s.dollars += Number(e.dollars);
  } else if (e.type === 'eval-end') {
    s.answers = Number(e.answers);
    const gold = e.split === 'gold';
    const hasGold = s.curve.length > 0 && s.curve.some((p) => (p as CurvePoint & { gold?: boolean }).gold);
    if (gold || !hasGold) {
      const point = {
        round: Number(e.round),
        answers: Number(e.answers),
        dollars: Number(e.dollars),
        accuracy: Number(e.accuracy),
        macroF1: Number(e.macroF1),
        gold,
      };
      // A gold point replaces the same round's validation point: the curve shows gold when there is gold.
      const i = s.curve.findIndex((p) => p.round === point.round);
      if (i >= 0) s.curve[i] = point;
      else s.curve.push(point);
    }
  } else if (e.type === 'run-end') {
    s.status = String(e.status);
  }
}

export function overview(root: HTMLElement, run: RunDetail, onEnd: () => void): () => void {
  const state: LiveState = {
    round: 0,
    done: 0,
    total: 0,
    answers: 0,
    dollars: 0,
    status: run.status,
    curve: [],
    lastEvent: '',
  };
  const stats = h('div', { class: 'stats', 'data-testid': 'live-stats' });
  const curve = h('div', { class: 'charts', 'data-testid': 'curve' });
  const metric = metricOf(run);
  const title = metricTitle(metric);
  const draw = () => {
    const points = state.curve.length > 0 ? state.curve : run.curve;
    clear(
      stats,
      stat('Status', state.status),
      stat('Round', String(state.round)),
      stat('Progress', state.total > 0 ? `${state.done} / ${state.total}` : '—'),
      // An extraction run's events carry answers at each round's start only: once done, the summary's count.
      stat('Answers', int(metric === 'f1' && run.status !== 'running' ? run.answers : state.answers || run.answers)),
      stat('Spend', usd(state.dollars || run.dollars)),
      stat(title, pct(points.at(-1)?.[metric])),
      stat('Curve points', String(points.length), 'curve-points'),
    );
    const single = [{ name: metric === 'f1' ? 'span F1' : 'accuracy', curve: points }];
    clear(
      curve,
      curveChart(single, 'answers', `${title} against teacher answers`, metric),
      points.some((p) => p.dollars > 0)
        ? curveChart(single, 'dollars', `${title} against dollars`, metric)
        : h('div', { class: 'chart-empty' }, 'No spend so far: no curve against dollars.'),
    );
  };
  const error = run.info?.error
    ? h('p', { class: 'error' }, `${run.info.error.message}${run.info.error.hint ? ` — ${run.info.error.hint}` : ''}`)
    : null;
  const summary = run.summary
    ? h(
        'p',
        { class: 'muted' },
        `Final ${run.summary.final.split} accuracy ${pct(run.summary.final.accuracy)}, macro-F1 ${pct(run.summary.final.macroF1)} on ${int(run.summary.final.n)} rows · ${int(run.summary.trainingRows)} training rows · ${int(run.summary.teacher.rejected)} rejected answers · teacher ${run.summary.teacher.id}`,
      )
    : null;
  const extract = run.extract ? extractScores(run.extract, run.labels) : null;
  const report = run.hasReport
    ? h(
        'section',
        {},
        h('h2', {}, 'Report'),
        h('iframe', {
          class: 'report',
          title: 'run report',
          src: `/api/runs/${encodeURIComponent(run.name)}/report`,
          sandbox: '',
        }),
      )
    : h('p', { class: 'muted' }, 'The full report appears here when the run completes.');
  const retrainInfo = run.summary?.retrain ?? run.extract?.retrain;
  const retrained = retrainInfo
    ? h('section', {}, h('h2', {}, `Retrained from ${retrainInfo.of}`), beforeAfter(retrainInfo))
    : null;
  // A retrain ran no loop: no rounds, answers or curve to follow, only its before and after.
  const live = retrained ? [] : [stats, h('h2', {}, 'Learning curve (live)'), curve];
  clear(root, error, summary, extract, retrained, live, report);
  draw();

  // Live: replay the run's events, then follow new ones as the run appends them.
  const source = new EventSource(`/api/runs/${encodeURIComponent(run.name)}/events`);
  let ended = false;
  let pending = false;
  source.addEventListener('event', (m) => {
    const e = JSON.parse((m as MessageEvent).data) as StudioEvent;
    fold(state, e);
    if (e.type === 'run-end' && !ended && run.status === 'running') {
      ended = true;
      setTimeout(onEnd, 300);
    }
    // Coalesce a burst of events (a replay) into one redraw.
    if (!pending) {
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        draw();
      });
    }
  });
  return () => source.close();
}

function stat(label: string, value: string, testid?: string): HTMLElement {
  return h(
    'div',
    { class: 'stat', ...(testid ? { 'data-testid': testid } : {}) },
    h('span', {}, label),
    h('strong', {}, value),
  );
}

export async function stopButton(run: RunDetail): Promise<HTMLElement | null> {
  if (!run.live) return null;
  const b = h('button', { type: 'button', class: 'danger' }, 'Stop run');
  b.addEventListener('click', async () => {
    b.disabled = true;
    await api.stop(run.name);
  });
  return b;
}

/**
 * "Retrain now": a new student from this run's rows with the reviewers' corrections applied (no
 * teacher asked), saved as a new run beside this one; the scores before and after show here.
 */
export function retrainPanel(run: RunDetail): HTMLElement | null {
  if (run.status !== 'complete') return null;
  const result = h('div', { class: 'retrain-result', 'data-testid': 'retrain-result' });
  const b = h(
    'button',
    { type: 'button', 'data-testid': 'retrain', title: 'train a new student from these rows with your corrections' },
    'Retrain now',
  );
  b.addEventListener('click', async () => {
    b.disabled = true;
    b.textContent = 'Retraining…';
    clear(result, h('span', { class: 'muted' }, 'training a new student from the corrected rows (no teacher asked)…'));
    try {
      const r = await api.retrain(run.name);
      clear(result, beforeAfter(r.retrain, r.name));
    } catch (e) {
      clear(result, h('span', { class: 'error' }, e instanceof ApiError ? e.message : String(e)));
    } finally {
      b.disabled = false;
      b.textContent = 'Retrain now';
    }
  });
  return h('div', { class: 'retrain' }, b, result);
}

const spanScore = (s: Retrain['before'], k: 'precision' | 'recall' | 'f1') =>
  s && k in s ? (s as SpanRetrainScores)[k] : undefined;
const labelScore = (s: Retrain['before'], k: 'accuracy' | 'macroF1') => (s && k in s ? (s as Scores)[k] : undefined);

/** Before/after on the gold rows (accuracy and macro-F1, or span P/R/F1), and where the retrained run is. */
export function beforeAfter(r: Retrain, name?: string): HTMLElement {
  const row = (label: string, before: number | undefined, after: number) => {
    const delta = before === undefined ? '' : `${after >= before ? '+' : ''}${(100 * (after - before)).toFixed(1)} pts`;
    return h(
      'tr',
      {},
      h('th', {}, label),
      h('td', { class: 'num' }, pct(before)),
      h('td', { class: 'num' }, pct(after)),
      h('td', { class: `num ${after > (before ?? after) ? 'up' : after < (before ?? after) ? 'down' : ''}` }, delta),
    );
  };
  return h(
    'div',
    {},
    h(
      'table',
      { class: 'data compact before-after' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, `gold, n = ${int(r.after.n)}`),
          h('th', { class: 'num', title: `the student of ${r.of}` }, 'before'),
          h('th', { class: 'num' }, 'after'),
          h('th', { class: 'num' }, 'change'),
        ),
      ),
      h(
        'tbody',
        {},
        'f1' in r.after
          ? [
              row('span precision', spanScore(r.before, 'precision'), r.after.precision),
              row('span recall', spanScore(r.before, 'recall'), r.after.recall),
              row('span F1', spanScore(r.before, 'f1'), r.after.f1),
            ]
          : [
              row('accuracy', labelScore(r.before, 'accuracy'), r.after.accuracy),
              row('macro-F1', labelScore(r.before, 'macroF1'), r.after.macroF1),
            ],
      ),
    ),
    h(
      'p',
      { class: 'muted' },
      'f1' in r.after
        ? `Before: the student of ${r.of}. After: a new student from its ${int(r.rows)} texts, ${int(r.human)} with reviewers' spans, ${int(r.unusable)} left out as rejected; no teacher asked. `
        : `Before: the student of ${r.of}. After: a new student from its ${int(r.rows)} rows, ${int(r.human)} labeled by reviewers, ${int(r.unusable)} left out as unusable; no teacher asked. `,
      name ? h('a', { href: `#/run/${encodeURIComponent(name)}`, 'data-testid': 'retrained-run' }, `Open ${name}`) : '',
    ),
  );
}
