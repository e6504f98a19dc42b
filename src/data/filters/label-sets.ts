/** Label sets compare as sets: a multi-label answer in another order is the same answer. */
export function labelKey(labels: readonly string[]): string {
  return JSON.stringify([...labels].sort());
}

export function sameLabels(a: readonly string[], b: readonly string[]): boolean {
  return labelKey(a) === labelKey(b);
}

export function showLabels(labels: readonly string[]): string {
  return labels.length === 0 ? 'no label' : labels.join(', ');
}
