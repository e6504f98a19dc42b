import { api, type Span, type SpanPage, type SpanRow } from './api.js';
import { clear, h, int } from './dom.js';
import { typeColor } from './extract-scores.js';

const PAGE = 50;
const FILTERS = ['type', 'source', 'round', 'q'] as const;
const FACET_TITLES: Record<string, string> = { type: 'Span type', source: 'Source', round: 'Round' };

/**
 * The data browser of an extraction run: every annotated training text with its spans marked in
 * their type's colour (hover: type and alignment status), and its provenance (source, round,
 * teacher, the student's uncertainty when it picked the text, mentions the teacher gave that could
 * not be placed). Filters by span type, source, round and text, in the URL like the label browser's.
 */
export async function spanDataView(root: HTMLElement, run: string, query: URLSearchParams): Promise<void> {
  const filters: Record<string, string> = {};
  for (const k of FILTERS) {
    const v = query.get(k);
    if (v !== null && v !== '') filters[k] = v;
  }
  const offset = Number(query.get('offset') ?? 0) || 0;
  const [page, detail] = await Promise.all([
    api.spans(run, new URLSearchParams({ ...filters, offset: String(offset), limit: String(PAGE) })),
    api.run(run),
  ]);
  const types = detail.labels;
  const go = (f: Record<string, string>, at = 0) => {
    const q = new URLSearchParams(f);
    if (at) q.set('offset', String(at));
    location.hash = `#/run/${encodeURIComponent(run)}/data?${q}`;
  };
  const search = h('input', { type: 'search', name: 'q', placeholder: 'search text…', value: filters.q ?? '' });
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') go({ ...filters, q: search.value });
  });
  const chips = Object.entries(filters).map(([k, v]) =>
    h(
      'button',
      {
        type: 'button',
        class: 'chip',
        title: 'remove filter',
        onclick: () => {
          const rest = { ...filters };
          delete rest[k];
          go(rest);
        },
      },
      `${k}: ${v} ×`,
    ),
  );
  const pager = h(
    'div',
    { class: 'pager' },
    h(
      'button',
      { type: 'button', disabled: offset === 0, onclick: () => go(filters, Math.max(0, offset - PAGE)) },
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
      { type: 'button', disabled: offset + PAGE >= page.total, onclick: () => go(filters, offset + PAGE) },
      'next ›',
    ),
  );
  clear(
    root,
    h(
      'div',
      { class: 'browser' },
      h('aside', { class: 'facets' }, search, facetList(page, filters, types, go)),
      h(
        'div',
        { class: 'rows-pane' },
        h('div', { class: 'chips' }, chips),
        pager,
        h(
          'p',
          { class: 'muted', 'data-testid': 'statuses' },
          `Spans by alignment status: ${
            Object.entries(page.statuses)
              .map(([k, n]) => `${k} ${int(n)}`)
              .join(' · ') || 'none'
          }. The Review tab goes through them, the student's least sure first.`,
        ),
        rowsTable(page.rows, types),
      ),
    ),
  );
}

function facetList(
  page: SpanPage,
  filters: Record<string, string>,
  types: readonly string[],
  go: (f: Record<string, string>) => void,
): HTMLElement {
  return h(
    'div',
    {},
    (['type', 'source', 'round'] as const).map((name) => {
      const values = Object.entries(page.facets[name]).sort(([a], [b]) =>
        name === 'round' ? Number(a) - Number(b) : a.localeCompare(b),
      );
      return h(
        'details',
        { open: true, 'data-facet': name },
        h('summary', {}, FACET_TITLES[name]),
        h(
          'ul',
          {},
          values.map(([value, rows]) =>
            h(
              'li',
              {},
              h(
                'a',
                {
                  href: '#',
                  class: filters[name] === value ? 'active' : '',
                  onclick: (e: Event) => {
                    e.preventDefault();
                    go({ ...filters, [name]: value });
                  },
                },
                name === 'type' && value !== '(none)'
                  ? h('mark', { class: 'span', style: `--c:${typeColor(value, types)}` }, value)
                  : value,
              ),
              h('span', { class: 'count' }, int(rows)),
            ),
          ),
        ),
      );
    }),
  );
}

/** The text with its spans as <mark>s (text nodes only: a row's text cannot inject markup). */
export function markedText<S extends Span>(
  text: string,
  spans: readonly S[],
  types: readonly string[],
  /** The small label after each mention (default: its type). */
  label: (sp: S) => string = (sp) => sp.type,
): HTMLElement {
  const out = h('span', { class: 'marked' });
  // Overlaps are not written by the loop; if a file has them, the later span is shown from where the earlier ends.
  let at = 0;
  for (const sp of [...spans].sort((a, b) => a.start - b.start || b.end - a.end)) {
    const start = Math.max(sp.start, at);
    if (sp.end <= start) continue;
    if (start > at) out.append(text.slice(at, start));
    out.append(
      h(
        'mark',
        {
          class: 'span',
          'data-type': sp.type,
          'data-status': sp.status ?? 'gold',
          title: `${sp.type} · ${sp.status ?? 'gold'}`,
          style: `--c:${typeColor(sp.type, types)}`,
        },
        text.slice(start, sp.end),
        h('small', {}, label(sp)),
      ),
    );
    at = sp.end;
  }
  if (at < text.length) out.append(text.slice(at));
  return out;
}

function rowsTable(rows: SpanRow[], types: readonly string[]): HTMLElement {
  return h(
    'table',
    { class: 'data rows', 'data-testid': 'span-rows' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['#', 'Text with spans', 'Spans', 'Source', 'Round', 'Teacher', 'Uncertainty', 'Rejected mentions'].map((t) =>
          h('th', {}, t),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((r) =>
        h(
          'tr',
          {},
          h('td', { class: 'num' }, r.idx + 1),
          h('td', { class: 'text' }, markedText(r.text, r.spans, types)),
          h('td', { class: 'num' }, r.spans.length),
          h('td', {}, r.source),
          h('td', { class: 'num' }, r.round),
          h('td', {}, r.reviewer ? `${r.teacher} (${r.reviewer})` : r.teacher),
          h('td', { class: 'num' }, r.uncertainty === undefined ? '' : r.uncertainty.toFixed(3)),
          h(
            'td',
            { class: 'muted' },
            (r.rejectedMentions ?? []).map((m) => h('div', { title: m.reason }, `${m.raw} (${m.reason})`)),
          ),
        ),
      ),
    ),
  );
}
