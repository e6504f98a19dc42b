/** Plain DOM helpers: text always goes in as text nodes, never as HTML, so row texts cannot inject markup. */
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | ((e: Event) => void) | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, '').toLowerCase(), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

export function clear(el: Element, ...children: (Child | Child[])[]): void {
  el.replaceChildren();
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
}

export const pct = (x: number | undefined | null, d = 1) =>
  x === undefined || x === null || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(d)}%`;
export const int = (x: number | undefined | null) =>
  x === undefined || x === null || !Number.isFinite(x) ? '—' : Math.round(x).toLocaleString('en-US');
export const usd = (x: number | undefined | null) => {
  if (x === undefined || x === null || !Number.isFinite(x)) return '—';
  if (x === 0) return '$0';
  return x < 1 ? `$${x.toFixed(4)}` : `$${x.toFixed(2)}`;
};
