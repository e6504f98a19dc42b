import type { RowsPage } from './api.js';
import { h } from './dom.js';

/**
 * Says what the disagreement, confidence and review order rest on. Out-of-fold: each row was
 * judged by a student that never saw it. Until those are in, the run's own student, which learned
 * these very rows and so agrees with most of their labels, wrong ones too: the page says so.
 */
export function scoringNote(page: Pick<RowsPage, 'scoredBy' | 'outOfFold'>): HTMLElement | null {
  const oof = page.outOfFold;
  if (page.scoredBy === 'out-of-fold')
    return h('span', { class: 'scoring ok', 'data-testid': 'scoring' }, 'student scores: out-of-fold (5 folds)');
  if (oof.state === 'running')
    return h(
      'span',
      { class: 'scoring', 'data-testid': 'scoring' },
      h('span', { class: 'spinner' }),
      `computing out-of-fold scores: fold ${oof.done} of ${oof.folds} done; until then the run’s own student, which saw these rows, scores them`,
    );
  if (oof.state === 'failed')
    return h(
      'span',
      { class: 'scoring error', 'data-testid': 'scoring' },
      `out-of-fold scores failed (${oof.error}); the run’s own student scores the rows`,
    );
  if (page.scoredBy === 'student')
    return h('span', { class: 'scoring muted', 'data-testid': 'scoring' }, 'student scores: the run’s own student');
  return null;
}

/** While out-of-fold scores compute, the view reloads itself now and then to show them arrive. */
export function refreshWhileScoring(page: Pick<RowsPage, 'outOfFold'>, root: HTMLElement, reload: () => void): void {
  if (page.outOfFold.state !== 'running') return;
  const hash = location.hash;
  setTimeout(() => {
    if (root.isConnected && location.hash === hash) reload();
  }, 3000);
}
