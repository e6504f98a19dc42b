import { api, type Facets, type Row } from './api.js';
import { clear, h, int, pct } from './dom.js';
import { refreshWhileScoring, scoringNote } from './scoring.js';

const PAGE = 50;
const FACET_TITLES: Record<string, string> = {
  label: 'Label',
  source: 'Source',
  round: 'Round',
  strategy: 'Strategy',
  disagree: 'Student disagrees',
  low: 'Low student confidence',
  flagged: 'Flagged by noise check',
};

/** Filters live in the URL (#/run/x/data?label=…), so a view can be linked and Back works. */
export function filtersFrom(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['label', 'predicted', 'source', 'round', 'strategy', 'disagree', 'low', 'flagged', 'q']) {
    const v = query.get(k);
    if (v !== null && v !== '') out[k] = v;
  }
  return out;
}

function go(run: string, filters: Record<string, string>, offset = 0): void {
  const q = new URLSearchParams(filters);
  if (offset) q.set('offset', String(offset));
  location.hash = `#/run/${encodeURIComponent(run)}/data?${q}`;
}

export async function dataView(root: HTMLElement, run: string, query: URLSearchParams): Promise<void> {
  const filters = filtersFrom(query);
  const offset = Number(query.get('offset') ?? 0) || 0;
  const params = new URLSearchParams({ ...filters, offset: String(offset), limit: String(PAGE) });
  const [page, confusion] = await Promise.all([api.rows(run, params), api.confusion(run)]);
  const search = h('input', { type: 'search', name: 'q', placeholder: 'search text…', value: filters.q ?? '' });
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') go(run, { ...filters, q: search.value });
  });
  const chips = Object.entries(filters).map(([k, v]) =>
    h(
      'button',
      { type: 'button', class: 'chip', title: 'remove filter', onclick: () => go(run, without(filters, k)) },
      `${k}: ${v} ×`,
    ),
  );
  const pager = h(
    'div',
    { class: 'pager' },
    h(
      'button',
      { type: 'button', disabled: offset === 0, onclick: () => go(run, filters, Math.max(0, offset - PAGE)) },
      '‹ prev',
    ),
    h(
      'span',
      { 'data-testid': 'range' },
      page.total === 0
        ? 'no rows'
        : `${int(offset + 1)}–${int(Math.min(offset + PAGE, page.total))} of ${int(page.total)}`,
    ),
    h(
      'button',
      { type: 'button', disabled: offset + PAGE >= page.total, onclick: () => go(run, filters, offset + PAGE) },
      'next ›',
    ),
    h('span', { class: 'muted' }, `${page.ms} ms`),
    scoringNote(page),
  );
  refreshWhileScoring(page, root, () => void dataView(root, run, query));
  clear(
    root,
    h(
      'div',
      { class: 'browser' },
      h('aside', { class: 'facets' }, search, page.facets ? facetList(run, filters, page.facets) : null),
      h(
        'div',
        { class: 'rows-pane' },
        h('div', { class: 'chips' }, chips),
        pager,
        rowsTable(page.rows, page.hasStudent),
        confusion.labels.length > 0 ? confusionTable(run, filters, confusion) : null,
        rejectedSection(run),
      ),
    ),
  );
}

function without(f: Record<string, string>, k: string): Record<string, string> {
  const out = { ...f };
  delete out[k];
  return out;
}

function facetList(run: string, filters: Record<string, string>, facets: Facets): HTMLElement {
  return h(
    'div',
    {},
    Object.entries(facets).map(([name, values]) =>
      h(
        'details',
        { open: name !== 'round' || values.length < 12, 'data-facet': name },
        h('summary', {}, FACET_TITLES[name] ?? name),
        h(
          'ul',
          {},
          values.map((v) => {
            const shown =
              name === 'disagree' || name === 'low' || name === 'flagged' ? (v.value === '1' ? 'yes' : 'no') : v.value;
            const active = filters[name] === v.value;
            return h(
              'li',
              {},
              h(
                'a',
                {
                  href: '#',
                  class: active ? 'active' : '',
                  'data-value': v.value,
                  onclick: (e: Event) => {
                    e.preventDefault();
                    go(run, active ? without(filters, name) : { ...filters, [name]: v.value });
                  },
                },
                shown || '(none)',
              ),
              h('span', { class: 'count' }, int(v.rows)),
            );
          }),
        ),
      ),
    ),
  );
}

function rowsTable(rows: Row[], hasStudent: boolean): HTMLElement {
  return h(
    'table',
    { class: 'rows', 'data-testid': 'rows' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        [
          '#',
          'Text',
          'Label',
          hasStudent ? 'Student' : null,
          'Source',
          'Round',
          'Strategy',
          'Teacher',
          'Conf.',
          'Flags',
        ].map((t) => (t === null ? null : h('th', {}, t))),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((r) =>
        h(
          'tr',
          { class: r.disagree ? 'disagree' : '' },
          h('td', { class: 'num muted' }, r.idx + 1),
          h(
            'td',
            { class: 'text' },
            r.text,
            Object.keys(r.attributes).length > 0
              ? h(
                  'div',
                  { class: 'attrs' },
                  Object.entries(r.attributes).map(([k, v]) => h('span', {}, `${k}=${v}`)),
                )
              : null,
          ),
          h(
            'td',
            {},
            r.labels.join(', '),
            r.correction
              ? h('div', { class: 'human' }, `human: ${r.correction.decision} ${r.correction.labels.join(', ')}`)
              : null,
          ),
          hasStudent
            ? h(
                'td',
                {},
                (r.predicted ?? []).join(', '),
                h('div', { class: 'muted' }, `margin ${r.margin?.toFixed(2) ?? '—'}`),
              )
            : null,
          h('td', {}, r.source),
          h('td', { class: 'num' }, r.round),
          h('td', {}, r.strategy),
          h('td', { class: 'muted small' }, r.teacher),
          h('td', { class: 'num' }, r.confidence === null ? '—' : pct(r.confidence, 0)),
          h(
            'td',
            {},
            [r.disagree ? 'disagree' : '', r.low ? 'low' : '', r.flagged ? 'noise' : ''].filter(Boolean).join(' '),
          ),
        ),
      ),
    ),
  );
}

/** Teacher label (rows) against the student's prediction (columns) over the training rows; a cell opens its rows. */
function confusionTable(
  run: string,
  filters: Record<string, string>,
  c: { labels: string[]; cells: { label: string; pred: string; rows: number }[] },
): HTMLElement {
  const count = new Map(c.cells.map((x) => [`${x.label}\u0000${x.pred}`, x.rows]));
  return h(
    'section',
    { class: 'confusion' },
    h('h2', {}, 'Teacher label × student prediction (training rows)'),
    h(
      'table',
      { class: 'cm' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'label \\ student'),
          c.labels.map((l) => h('th', { class: 'rot' }, l)),
        ),
      ),
      h(
        'tbody',
        {},
        c.labels.map((g) =>
          h(
            'tr',
            {},
            h(
              'th',
              {},
              h('a', { href: '#', onclick: (e: Event) => (e.preventDefault(), go(run, { ...filters, label: g })) }, g),
            ),
            c.labels.map((p) => {
              const n = count.get(`${g}\u0000${p}`) ?? 0;
              return h(
                'td',
                { class: n === 0 ? 'zero' : g === p ? 'diag' : 'off', 'data-cell': `${g}|${p}` },
                n === 0
                  ? '·'
                  : h(
                      'a',
                      {
                        href: '#',
                        onclick: (e: Event) => {
                          e.preventDefault();
                          go(run, { ...without(without(filters, 'disagree'), 'q'), label: g, predicted: p });
                        },
                      },
                      int(n),
                    ),
              );
            }),
          ),
        ),
      ),
    ),
  );
}

function rejectedSection(run: string): HTMLElement {
  const box = h('section', { class: 'rejected' }, h('h2', {}, 'Rejected answers'));
  const load = async (offset: number) => {
    const r = await api.rejected(run, offset);
    clear(
      box,
      h('h2', {}, `Rejected answers (${int(r.total)})`),
      r.total === 0
        ? h('p', { class: 'muted' }, 'No teacher answer was rejected.')
        : h(
            'table',
            { class: 'rows' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['Kind', 'Round', 'Input', 'Raw answer', 'Reason'].map((t) => h('th', {}, t)),
              ),
            ),
            h(
              'tbody',
              {},
              r.rows.map((x) =>
                h(
                  'tr',
                  {},
                  h('td', {}, x.kind),
                  h('td', {}, x.round),
                  h('td', { class: 'text' }, x.input),
                  h('td', {}, h('pre', {}, x.raw)),
                  h('td', {}, x.reason),
                ),
              ),
            ),
          ),
      r.total > offset + 50 ? h('button', { type: 'button', onclick: () => void load(offset + 50) }, 'more') : null,
    );
  };
  void load(0);
  return box;
}
