import type { ExtractSummary } from './api.js';
import { clear, h, int, pct } from './dom.js';

/**
 * An extraction run's scores on the overview: span precision, recall, F1 (micro, exact span and
 * type) and partial-match F1 on the final split, the per-type table, and how the teacher's
 * mentions were placed (alignment statuses, rejected mentions and answers).
 */
export function extractScores(s: ExtractSummary, taskTypes: readonly string[]): HTMLElement {
  const box = h('section', { class: 'extract-scores', 'data-testid': 'extract-scores' });
  const types = Object.entries(s.perType).sort(([a], [b]) => a.localeCompare(b));
  const statuses = Object.entries(s.alignment.spans).filter(([, n]) => n > 0);
  clear(
    box,
    h(
      'p',
      { class: 'muted', 'data-testid': 'extract-summary' },
      `Final ${s.final.split} span F1 ${pct(s.f1)} · precision ${pct(s.precision)} · recall ${pct(s.recall)} · partial F1 ${pct(s.partialF1)} · macro-F1 ${pct(s.macroF1)} on ${int(s.final.n)} texts · ${int(s.trainingRows)} training texts · teacher ${s.teacher.id}`,
    ),
    h(
      'table',
      { class: 'data compact', 'data-testid': 'per-type' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'type'),
          ['precision', 'recall', 'F1', 'gold spans', 'predicted'].map((t) => h('th', { class: 'num' }, t)),
        ),
      ),
      h(
        'tbody',
        {},
        types.map(([type, m]) =>
          h(
            'tr',
            {},
            h(
              'td',
              {},
              h('mark', { class: 'span', 'data-type': type, style: `--c:${typeColor(type, taskTypes)}` }, type),
            ),
            h('td', { class: 'num' }, pct(m.precision)),
            h('td', { class: 'num' }, pct(m.recall)),
            h('td', { class: 'num' }, pct(m.f1)),
            h('td', { class: 'num' }, int(m.gold)),
            h('td', { class: 'num' }, int(m.predicted)),
          ),
        ),
      ),
    ),
    h(
      'p',
      { class: 'muted', 'data-testid': 'alignment' },
      `Spans by alignment: ${statuses.map(([k, n]) => `${k} ${int(n)}`).join(' · ') || 'none'} · ${int(s.alignment.rejectedMentions)} rejected mentions · ${int(s.alignment.rejectedAnswers)} rejected answers`,
    ),
  );
  return box;
}

const TYPE_COLORS = ['#fde68a', '#bfdbfe', '#bbf7d0', '#fecaca', '#ddd6fe', '#a5f3fc', '#fbcfe8', '#e5e7eb'];

/** A type's highlight colour: by its place in the task's types, so every page of a run agrees. */
export function typeColor(type: string, types: readonly string[]): string {
  const i = types.indexOf(type);
  return i < 0 ? '#e5e7eb' : TYPE_COLORS[i % TYPE_COLORS.length];
}
