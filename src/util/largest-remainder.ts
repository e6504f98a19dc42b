/**
 * Whole numbers that add up to `total`: each share's floor, then one more for the largest
 * remainders until the total is reached, ties broken by position. `shares` should add up to
 * `total` (scale them first); what rounds down is spread back by remainder.
 */
export function largestRemainder(shares: readonly number[], total: number): number[] {
  const floors = shares.map((s) => Math.floor(s));
  let left = total - floors.reduce((s, f) => s + f, 0);
  const order = shares.map((s, i) => ({ i, r: s - Math.floor(s) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] += 1;
    left -= 1;
  }
  return floors;
}
