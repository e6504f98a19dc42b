import { api, type Row } from './api.js';
import { filtersFrom } from './data-view.js';
import { scoringNote } from './scoring.js';
import { serial } from './serial.js';
import { clear, h, int, pct } from './dom.js';

const PAGE = 50;
const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** What the reviewer is offered: the noise check's suggestion, else the student's, else the teacher's label. */
function suggestion(r: Row): { labels: string[]; score: number | null; from: string } {
  if (r.suggested && r.suggested.length > 0) return { labels: r.suggested, score: null, from: 'noise check' };
  if (r.predicted && r.predicted.length > 0) {
    const p = r.probs?.find((x) => x.label === r.predicted![0])?.p ?? null;
    return { labels: r.predicted, score: p, from: 'student' };
  }
  return { labels: r.labels, score: r.confidence, from: 'teacher' };
}

export function reviewerName(): string {
  return localStorage.getItem('apprentice.reviewer') || 'reviewer';
}

/**
 * The review queue, keyboard first: 1–9 pick a label, Enter accepts the suggestion, x marks the
 * row unusable, u undoes, ↑/↓ (or k/j) move. Every decision is stored by the server before the
 * cursor moves on; the next page is fetched ahead.
 */
export async function reviewView(
  root: HTMLElement,
  run: string,
  labels: string[],
  query: URLSearchParams,
): Promise<() => void> {
  const filters = filtersFrom(query);
  const rows: Row[] = [];
  let total = 0;
  let cursor = 0;
  let loading: Promise<void> | undefined;
  let scoring: HTMLElement | null | undefined;
  const fetchMore = () => {
    if (loading || (rows.length >= total && total > 0)) return loading;
    const params = new URLSearchParams({
      ...filters,
      offset: String(rows.length),
      limit: String(PAGE),
      order: 'priority',
      facets: '0',
    });
    loading = api.rows(run, params).then((p) => {
      // The queue's order rests on the student scores: say which (not reloaded mid-session).
      scoring ??= scoringNote(p);
      total = p.total;
      // Out-of-fold scores landing mid-session reorder the queue: a row already loaded is not shown twice.
      const have = new Set(rows.map((r) => r.textId));
      rows.push(...p.rows.filter((r) => !have.has(r.textId)));
      loading = undefined;
    });
    return loading;
  };
  await fetchMore();
  // Start at the first row nobody has decided yet.
  cursor = Math.max(
    0,
    rows.findIndex((r) => !r.correction),
  );
  if (rows.every((r) => r.correction)) cursor = 0;

  const nameInput = h('input', { type: 'text', value: reviewerName(), size: 14, 'aria-label': 'reviewer name' });
  nameInput.addEventListener('change', () =>
    localStorage.setItem('apprentice.reviewer', nameInput.value.trim() || 'reviewer'),
  );
  const card = h('div', { class: 'review-card', 'data-testid': 'review-card' });
  const status = h('p', { class: 'muted', 'data-testid': 'review-status' });
  const list = h('ol', { class: 'queue' });

  const draw = () => {
    const r = rows[cursor];
    if (!r) {
      clear(card, h('p', {}, 'Nothing to review under this filter.'));
      return;
    }
    const s = suggestion(r);
    clear(
      card,
      h(
        'div',
        { class: 'why' },
        [
          r.flagged ? 'flagged by the noise check' : '',
          r.disagree ? 'student disagrees with the teacher' : '',
          r.low ? 'student unsure' : '',
        ]
          .filter(Boolean)
          .join(' · ') || 'in queue by student margin',
      ),
      h('blockquote', { class: 'review-text' }, r.text),
      h(
        'p',
        {},
        'Teacher: ',
        h('strong', {}, r.labels.join(', ')),
        ` (${r.teacher}${r.confidence !== null ? `, ${pct(r.confidence, 0)}` : ''}) · `,
        'Suggestion: ',
        h('strong', { 'data-testid': 'suggestion' }, s.labels.join(', ')),
        ` from the ${s.from}${s.score !== null ? ` (${pct(s.score, 0)})` : ''}`,
      ),
      h(
        'p',
        { class: 'decision', 'data-testid': 'decision' },
        r.correction
          ? `Decided: ${r.correction.decision}${r.correction.labels.length ? ` → ${r.correction.labels.join(', ')}` : ''} by ${r.correction.reviewer}`
          : 'Not decided yet',
      ),
      h(
        'ol',
        { class: 'label-keys' },
        labels
          .slice(0, 9)
          .map((l, i) =>
            h('li', { class: s.labels.includes(l) ? 'suggested' : '' }, h('kbd', {}, String(i + 1)), ` ${l}`),
          ),
      ),
    );
    status.textContent = `Row ${cursor + 1} of ${int(total)} · ${rows.filter((x) => x.correction).length} decided in the loaded rows`;
    clear(
      list,
      rows
        .slice(Math.max(0, cursor - 3), cursor + 8)
        .map((x) =>
          h('li', { class: `${x === r ? 'current' : ''} ${x.correction ? 'done' : ''}` }, x.text.slice(0, 90)),
        ),
    );
  };

  const move = async (d: number) => {
    cursor = Math.max(0, Math.min(cursor + d, Math.max(0, total - 1)));
    if (cursor >= rows.length - 5) await fetchMore();
    cursor = Math.min(cursor, rows.length - 1);
    draw();
  };

  const decide = async (decision: 'accept' | 'relabel' | 'unusable', chosen: string[]) => {
    const r = rows[cursor];
    if (!r) return;
    const kind = decision === 'unusable' ? 'unusable' : same(chosen, r.labels) ? 'accept' : 'relabel';
    const saved = await api.decide(run, {
      textId: r.textId,
      decision: kind,
      labels: chosen,
      reviewer: nameInput.value.trim() || 'reviewer',
    });
    r.correction = saved;
    await move(1);
  };

  const undo = async () => {
    const { undone } = await api.undo(run, nameInput.value.trim() || 'reviewer');
    const ids = new Set(undone.map((u) => u.textId));
    let back = -1;
    rows.forEach((r, i) => {
      if (ids.has(r.textId)) {
        r.correction = null;
        back = i;
      }
    });
    if (back >= 0) cursor = back;
    draw();
  };

  // Every key acts in order, after the request of the one before it (serial.ts), on the row it left.
  const queue = serial();
  const onKey = (e: KeyboardEvent) => {
    if (e.target instanceof HTMLInputElement || e.ctrlKey || e.metaKey || e.altKey) return;
    let action: (() => Promise<void>) | undefined;
    if (/^[1-9]$/.test(e.key)) {
      const l = labels[Number(e.key) - 1];
      if (l) action = () => decide('relabel', [l]);
    } else if (e.key === 'Enter')
      action = async () => {
        const r = rows[cursor];
        if (r) await decide('accept', suggestion(r).labels);
      };
    else if (e.key === 'x') action = () => decide('unusable', []);
    else if (e.key === 'u') action = undo;
    else if (e.key === 'ArrowDown' || e.key === 'ArrowRight' || e.key === 'j') action = () => move(1);
    else if (e.key === 'ArrowUp' || e.key === 'ArrowLeft' || e.key === 'k') action = () => move(-1);
    if (!action) return;
    void queue(action);
    e.preventDefault();
  };
  document.addEventListener('keydown', onKey);

  const bulk = h('div', { class: 'bulk' });
  if (Object.keys(filters).length > 0) {
    const act = async (decision: 'accept' | 'unusable') => {
      const what = decision === 'unusable' ? 'mark unusable' : "accept the teacher's label for";
      if (!confirm(`This will ${what} all ${int(total)} rows matching the filter. Continue?`)) return;
      const r = await api.bulk(run, {
        filter: filters,
        decision,
        reviewer: nameInput.value.trim() || 'reviewer',
        expect: total,
      });
      bulk.append(h('p', { class: 'ok' }, `${int(r.count)} decisions stored (u undoes them all).`));
    };
    clear(
      bulk,
      h(
        'span',
        {},
        `Filter: ${Object.entries(filters)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')} — ${int(total)} rows. `,
      ),
      h('button', { type: 'button', onclick: () => void act('accept') }, `Accept all ${int(total)}`),
      h('button', { type: 'button', onclick: () => void act('unusable') }, `Mark all ${int(total)} unusable`),
    );
  }

  clear(
    root,
    h(
      'div',
      { class: 'review-head' },
      h('label', {}, 'Reviewer ', nameInput),
      h('span', { class: 'muted' }, 'Keys: 1–9 label · Enter accept suggestion · x unusable · u undo · ↑↓ move'),
      scoring,
    ),
    bulk,
    status,
    h('div', { class: 'review' }, card, list),
  );
  draw();
  return () => document.removeEventListener('keydown', onKey);
}
