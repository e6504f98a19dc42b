import type { Rng } from '../../util/random.js';

/**
 * Stratified, seeded splits. Rows are grouped by their first label (multi-label rows too: exact
 * stratification over label sets is not worth it here), each group shuffled with the seed.
 */
function groups(strata: readonly number[]): number[][] {
  const byLabel = new Map<number, number[]>();
  strata.forEach((s, i) => {
    const g = byLabel.get(s);
    if (g) g.push(i);
    else byLabel.set(s, [i]);
  });
  return [...byLabel.keys()].sort((a, b) => a - b).map((k) => byLabel.get(k)!);
}

/**
 * Holds out about `size` rows, each stratum in proportion, never a stratum's last row: a label seen
 * only in validation teaches nothing. Returns ascending index lists.
 */
export function holdoutSplit(strata: readonly number[], size: number, rng: Rng): { train: number[]; val: number[] } {
  const ratio = size / Math.max(1, strata.length);
  const train: number[] = [];
  const val: number[] = [];
  for (const g of groups(strata)) {
    rng.shuffle(g);
    const take = Math.min(g.length - 1, Math.round(g.length * ratio));
    val.push(...g.slice(0, take));
    train.push(...g.slice(take));
  }
  return { train: train.sort((a, b) => a - b), val: val.sort((a, b) => a - b) };
}

/** Fold number per row, dealt round-robin within each stratum after a seeded shuffle. */
export function assignFolds(strata: readonly number[], folds: number, rng: Rng): Int32Array {
  const fold = new Int32Array(strata.length);
  let offset = 0;
  for (const g of groups(strata)) {
    rng.shuffle(g);
    // Carry the offset over so small strata do not all pile into fold 0.
    g.forEach((row, i) => (fold[row] = (offset + i) % folds));
    offset = (offset + g.length) % folds;
  }
  return fold;
}
