import { api, type Span, type SpanQueueRow } from './api.js';
import { clear, h, int, pct } from './dom.js';
import { typeColor } from './extract-scores.js';
import { reviewerName } from './review-view.js';
import { markedText } from './span-data-view.js';
import { serial } from './serial.js';

const PAGE = 50;
type Range = { start: number; end: number };

const key = (s: { start: number; end: number; type: string }) => `${s.start}:${s.end}:${s.type}`;
const sameSpans = (a: readonly Span[], b: readonly Span[]) =>
  a.length === b.length && a.map(key).sort().join('|') === b.map(key).sort().join('|');

/** The spans a row shows: the reviewer's when it was decided with spans, else the teacher's. */
const spansOf = (r: SpanQueueRow): Span[] =>
  (r.correction?.spans ?? r.spans).map(({ start, end, type, text }) => ({ start, end, type, text }));

/**
 * The review queue of an extraction run, keyboard first (as Prodigy's ner.manual): the training
 * texts the run's student is least sure about first, each with the teacher's spans in their type's
 * colour. Drag over the words (the selection snaps to whole tokens) and press a type's number to
 * add a span; click a span, then a number retypes it and Backspace/Delete removes it. `a` (or
 * Enter) stores the text with the spans as shown (accept, or the edit), `x` rejects the text, `u`
 * undoes your last decision, ↑/↓ (or k/j) move, Esc clears the selection.
 */
export async function spanReviewView(root: HTMLElement, run: string): Promise<() => void> {
  const rows: SpanQueueRow[] = [];
  let types: string[] = [];
  let total = 0;
  let scoredBy: 'student' | null = null;
  let cursor = 0;
  let loading: Promise<void> | undefined;
  const fetchMore = () => {
    if (loading || (rows.length >= total && total > 0)) return loading;
    loading = api.spanReview(run, rows.length, PAGE).then((p) => {
      total = p.total;
      types = p.types;
      scoredBy = p.scoredBy;
      rows.push(...p.rows);
      loading = undefined;
    });
    return loading;
  };
  await fetchMore();
  cursor = Math.max(
    0,
    rows.findIndex((r) => !r.correction),
  );

  // The current text's editable state.
  let working: Span[] = [];
  let pending: Range | null = null;
  let selected: number | null = null;
  let anchor: Range | null = null;
  let message = '';
  const load = () => {
    const r = rows[cursor];
    working = r ? spansOf(r) : [];
    pending = null;
    selected = null;
    message = '';
  };
  load();

  const nameInput = h('input', { type: 'text', value: reviewerName(), size: 14, 'aria-label': 'reviewer name' });
  nameInput.addEventListener('change', () =>
    localStorage.setItem('apprentice.reviewer', nameInput.value.trim() || 'reviewer'),
  );
  const reviewer = () => nameInput.value.trim() || 'reviewer';
  const card = h('div', { class: 'review-card', 'data-testid': 'review-card' });
  const status = h('p', { class: 'muted', 'data-testid': 'review-status' });
  const list = h('ol', { class: 'queue' });

  /** The text as tokens (the only things a drag can select), spans as marks around theirs. */
  const editor = (r: SpanQueueRow): HTMLElement => {
    const cuts = new Set<number>([0, r.text.length]);
    for (const t of r.tokens) cuts.add(t.start).add(t.end);
    for (const s of working) cuts.add(s.start).add(s.end);
    const points = [...cuts].filter((x) => x >= 0 && x <= r.text.length).sort((a, b) => a - b);
    const tokenAt = new Map(r.tokens.map((t) => [t.start, t]));
    const out = h('div', { class: 'span-editor review-text', 'data-testid': 'span-editor' });
    let mark: HTMLElement | null = null;
    let inToken: Range | undefined;
    for (let i = 0; i < points.length - 1; i++) {
      const [a, b] = [points[i], points[i + 1]];
      const si = working.findIndex((s) => s.start <= a && b <= s.end);
      if (si < 0) mark = null;
      else if (!mark || Number(mark.dataset.i) !== si) {
        const s: Span = working[si];
        mark = h('mark', {
          class: `span${selected === si ? ' selected' : ''}`,
          'data-type': s.type,
          'data-i': si,
          title: `${s.type} · click, then a number to retype or Backspace to remove`,
          style: `--c:${typeColor(s.type, types)}`,
        });
        out.append(mark);
        // The type label goes after the mark's last piece: appended when the span ends.
      }
      inToken = tokenAt.get(a) ?? (inToken && a < inToken.end ? inToken : undefined);
      const piece = r.text.slice(a, b);
      const node = inToken
        ? h(
            'span',
            {
              class: `tok${pending && pending.start <= a && b <= pending.end ? ' pending' : ''}`,
              'data-start': inToken.start,
              'data-end': inToken.end,
            },
            piece,
          )
        : // Between tokens (spaces): a drag that starts or ends here snaps to the next token.
          h('span', { class: 'gap', 'data-at': b }, piece);
      (mark ?? out).append(node);
      if (mark && si >= 0 && b === working[si].end) {
        mark.append(h('small', {}, working[si].type));
        mark = null;
      }
    }
    return out;
  };

  const draw = () => {
    const r = rows[cursor];
    if (!r) {
      clear(card, h('p', {}, 'No training texts to review.'));
      status.textContent = '';
      return;
    }
    const edited = !sameSpans(working, spansOf(r));
    clear(
      card,
      h(
        'div',
        { class: 'why' },
        [
          r.confidence !== null ? `student ${pct(r.confidence, 0)} sure` : 'no student scores',
          r.disagree ? 'student disagrees with the teacher' : '',
        ]
          .filter(Boolean)
          .join(' · '),
      ),
      h('p', { class: 'muted provenance' }, `${r.source} · round ${r.round} · ${r.teacher}`),
      editor(r),
      r.predicted
        ? h(
            'p',
            { class: 'student-spans muted', 'data-testid': 'student-spans' },
            'Student: ',
            r.predicted.length
              ? markedText(r.text, r.predicted, types, (sp) => `${sp.type} ${pct(sp.confidence, 0)}`)
              : '(no spans)',
          )
        : null,
      h(
        'p',
        { class: 'decision', 'data-testid': 'decision' },
        r.correction
          ? `Decided: ${r.correction.decision === 'unusable' ? 'rejected' : r.correction.decision === 'accept' ? 'accepted' : 'edited'} by ${r.correction.reviewer}`
          : 'Not decided yet',
        edited ? h('span', { class: 'edited' }, ' · edited, not stored yet (a stores it)') : '',
      ),
      h('p', { class: 'hint', 'data-testid': 'hint' }, message || hintFor()),
      h(
        'ol',
        { class: 'label-keys' },
        types
          .slice(0, 9)
          .map((t, i) =>
            h(
              'li',
              {},
              h('kbd', {}, String(i + 1)),
              ' ',
              h('mark', { class: 'span', style: `--c:${typeColor(t, types)}` }, t),
            ),
          ),
      ),
    );
    status.textContent = `Text ${cursor + 1} of ${int(total)} · ${rows.filter((x) => x.correction).length} decided in the loaded texts${scoredBy ? ' · ordered by the run’s student, least sure first' : ' · no student: in file order'}`;
    clear(
      list,
      rows.slice(Math.max(0, cursor - 3), cursor + 8).map((x) =>
        h(
          'li',
          {
            class: `${x === r ? 'current' : ''} ${x.correction ? 'done' : ''}`,
            title: x.confidence !== null ? `student ${pct(x.confidence, 0)} sure` : '',
          },
          x.text.slice(0, 90),
        ),
      ),
    );
  };
  const hintFor = () =>
    selected !== null
      ? `Span “${working[selected]?.text}” selected: a number retypes it, Backspace removes it, Esc lets go.`
      : pending
        ? `“${rows[cursor]?.text.slice(pending.start, pending.end)}” selected: press a type’s number to mark it.`
        : 'Drag over words to select them; click a span to change it.';

  // ---- mouse: a drag over tokens selects whole tokens; a click on a span selects the span
  const tokenOf = (e: Event): Range | null => {
    const target = e.target as Element | null;
    const el = target?.closest?.('.tok') as HTMLElement | null;
    if (el) return { start: Number(el.dataset.start), end: Number(el.dataset.end) };
    const gap = target?.closest?.('.gap') as HTMLElement | null;
    const tokens = rows[cursor]?.tokens ?? [];
    if (!gap || tokens.length === 0) return null;
    const at = Number(gap.dataset.at);
    return tokens.find((t) => t.start >= at) ?? tokens[tokens.length - 1];
  };
  const onDown = (e: MouseEvent) => {
    if (!(e.target as Element).closest?.('[data-testid=span-editor]')) return;
    anchor = tokenOf(e);
    e.preventDefault();
  };
  const onUp = (e: MouseEvent) => {
    if (!anchor) return;
    const focus = tokenOf(e) ?? anchor;
    const start = Math.min(anchor.start, focus.start);
    const end = Math.max(anchor.end, focus.end);
    const click = anchor.start === focus.start;
    anchor = null;
    const hit = working.findIndex((s) => s.start < end && start < s.end);
    message = '';
    if (click && hit >= 0) {
      selected = hit;
      pending = null;
    } else {
      pending = { start, end };
      selected = null;
    }
    draw();
  };
  card.addEventListener('mousedown', onDown);
  document.addEventListener('mouseup', onUp);

  // ---- keys
  const move = async (d: number) => {
    cursor = Math.max(0, Math.min(cursor + d, Math.max(0, total - 1)));
    if (cursor >= rows.length - 5) await fetchMore();
    cursor = Math.min(cursor, rows.length - 1);
    load();
    draw();
  };
  const decide = async (decision: 'accept' | 'unusable') => {
    const r = rows[cursor];
    if (!r) return;
    const kind = decision === 'unusable' ? 'unusable' : sameSpans(working, r.spans) ? 'accept' : 'relabel';
    r.correction = await api.spanDecide(run, {
      textId: r.textId,
      decision: kind,
      spans: kind === 'unusable' ? [] : working.map(({ start, end, type }) => ({ start, end, type })),
      reviewer: reviewer(),
    });
    await move(1);
  };
  const undo = async () => {
    const { undone } = await api.undo(run, reviewer());
    const ids = new Set(undone.map((u) => u.textId));
    let back = -1;
    rows.forEach((r, i) => {
      if (ids.has(r.textId)) {
        r.correction = null;
        back = i;
      }
    });
    if (back >= 0) cursor = back;
    load();
    draw();
  };
  const typeKey = (t: string) => {
    if (selected !== null) {
      working[selected] = { ...working[selected], type: t };
    } else if (pending) {
      const text = rows[cursor]!.text;
      const p = pending;
      // A new span replaces the spans it overlaps: spans never overlap.
      working = working.filter((s) => s.end <= p.start || p.end <= s.start);
      working.push({ start: p.start, end: p.end, type: t, text: text.slice(p.start, p.end) });
      working.sort((a, b) => a.start - b.start);
      selected = working.findIndex((s) => s.start === p.start);
      pending = null;
    } else {
      message = 'Select words first (drag over them), or click a span.';
    }
    draw();
  };
  // Every key acts in order, after the request of the one before it (serial.ts).
  const queue = serial();
  const onKey = (e: KeyboardEvent) => {
    if (e.target instanceof HTMLInputElement || e.ctrlKey || e.metaKey || e.altKey) return;
    let action: (() => Promise<void> | void) | undefined;
    if (/^[1-9]$/.test(e.key)) {
      const t = types[Number(e.key) - 1];
      if (t)
        action = () => {
          if (rows[cursor]) typeKey(t);
        };
    } else if (e.key === 'Backspace' || e.key === 'Delete')
      action = () => {
        if (selected === null) return;
        working.splice(selected, 1);
        selected = null;
        draw();
      };
    else if (e.key === 'Escape')
      action = () => {
        pending = null;
        selected = null;
        draw();
      };
    else if (e.key === 'a' || e.key === 'Enter') action = () => decide('accept');
    else if (e.key === 'x') action = () => decide('unusable');
    else if (e.key === 'u') action = undo;
    else if (e.key === 'ArrowDown' || e.key === 'j') action = () => move(1);
    else if (e.key === 'ArrowUp' || e.key === 'k') action = () => move(-1);
    if (!action) return;
    void queue(action);
    e.preventDefault();
  };
  document.addEventListener('keydown', onKey);

  clear(
    root,
    h(
      'div',
      { class: 'review-head' },
      h('label', {}, 'Reviewer ', nameInput),
      h(
        'span',
        { class: 'muted' },
        'Keys: drag to select · 1–9 type · click span then 1–9 retype, ⌫ remove · a accept · x reject · u undo · ↑↓ move',
      ),
    ),
    status,
    h('div', { class: 'review' }, card, list),
  );
  draw();
  return () => {
    document.removeEventListener('keydown', onKey);
    document.removeEventListener('mouseup', onUp);
  };
}
