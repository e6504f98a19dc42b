/**
 * Shares a round's answers among arms (pool labeling and the generation strategies) by the
 * validation gain per answer each arm's rows brought in earlier rounds. Gains are measured by
 * ablation: the student retrained without one arm's rows of the round, on the same validation set.
 *
 * Every arm keeps a small exploration floor, so an arm that was unlucky once can recover; an arm
 * whose rows keep making the student worse (junk) falls to that floor and stays there: starved.
 */
export interface ArmStats {
  /** Answers the arm has spent over the run. */
  answers: number;
  /** Rows it contributed that survived the filters. */
  rows: number;
  /** Exponential moving average of gain per answer (validation macro-F1 points per answer). */
  gainPerAnswer: number | undefined;
  /** Rounds in a row with a gain ≤ 0. */
  losingStreak: number;
}

/** Rounds of measurement that weigh as much as the prior. */
const PRIOR_ROUNDS = 2;

export interface BanditOptions {
  /** Share of the answers every arm gets regardless of its record (split evenly). */
  explore?: number;
  /** Weight of the newest measurement in the moving average. */
  smoothing?: number;
  /**
   * Answers an arm needs in a round for its rows to be measured at all (see ablation.ts). Arms the
   * split leaves below it take turns getting that many, one a round, so a starved arm is still
   * re-measured now and then and can recover. Default 0: no probing.
   */
  probe?: number;
}

export class StrategyBandit {
  readonly arms = new Map<string, ArmStats>();
  private readonly explore: number;
  private readonly smoothing: number;
  private readonly probe: number;
  /** Rounds measured so far. */
  private rounds = 0;

  constructor(names: readonly string[], options: BanditOptions = {}) {
    for (const n of names) this.arms.set(n, { answers: 0, rows: 0, gainPerAnswer: undefined, losingStreak: 0 });
    this.explore = options.explore ?? 0.15;
    this.smoothing = options.smoothing ?? 0.5;
    this.probe = options.probe ?? 0;
  }

  /**
   * Splits `answers` among the arms. `prior` gives the split before anything was measured (e.g. the
   * task's pool share); afterwards measured arms are weighted by their positive gain per answer and
   * unmeasured arms by the best measured one (optimism, so each gets tried).
   */
  allocate(answers: number, prior: Record<string, number>): Record<string, number> {
    const names = [...this.arms.keys()];
    const measured = names.filter((n) => this.arms.get(n)!.gainPerAnswer !== undefined);
    const priorWeights = names.map((n) => prior[n] ?? 1 / names.length);
    if (measured.length === 0) {
      const sum = priorWeights.reduce((s, w) => s + w, 0);
      return apportion(names, priorWeights.map((w) => (answers * w) / sum), answers);
    }
    const best = Math.max(...measured.map((n) => Math.max(0, this.arms.get(n)!.gainPerAnswer!)));
    let weights = names.map((n) => {
      const a = this.arms.get(n)!;
      if (a.gainPerAnswer === undefined) return best > 0 ? best : 1;
      return a.losingStreak >= 2 ? 0 : Math.max(0, a.gainPerAnswer);
    });
    if (weights.every((w) => w === 0)) weights = priorWeights;
    const total = weights.reduce((s, w) => s + w, 0);
    const priorTotal = priorWeights.reduce((s, w) => s + w, 0);
    // One round's measurement is noisy, so trust in it grows with the rounds measured: after one
    // round the split is still mostly the prior, after six mostly the measurements.
    const trust = this.rounds / (this.rounds + PRIOR_ROUNDS);
    // A starved arm gets the floor alone: its record overrides the prior.
    const blended = names.map((n, i) => (this.arms.get(n)!.losingStreak >= 2 ? 0 : trust * (weights[i] / total) + (1 - trust) * (priorWeights[i] / priorTotal)));
    // Every arm starved at once says more about the measurement than about the arms: back to the prior.
    const split = blended.some((w) => w > 0) ? blended : priorWeights;
    const splitTotal = split.reduce((s, w) => s + w, 0);
    // The exploration floor follows the prior, so an arm the task deems minor stays a small probe.
    const shares = names.map((_, i) => this.explore * answers * (priorWeights[i] / priorTotal) + (1 - this.explore) * answers * (split[i] / splitTotal));
    return this.withProbe(apportion(names, shares, answers), answers);
  }

  /** One arm below the probe size (in turn) gets a probe's worth, taken from the arm with the most. */
  private withProbe(split: Record<string, number>, answers: number): Record<string, number> {
    if (this.probe <= 0 || answers < 2 * this.probe) return split;
    const low = Object.keys(split).filter((n) => split[n] < this.probe);
    if (low.length === 0) return split;
    const arm = low[this.rounds % low.length];
    const richest = Object.keys(split).reduce((a, b) => (split[b] > split[a] ? b : a));
    const need = this.probe - split[arm];
    if (split[richest] - need < this.probe) return split;
    return { ...split, [richest]: split[richest] - need, [arm]: this.probe };
  }

  /** Marks the end of a round's measurements (each `record` of one round, then this). */
  endRound(): void {
    this.rounds += 1;
  }

  /** Records one round's measurement for an arm: the validation gain per answer its rows brought. */
  record(name: string, answers: number, rows: number, perAnswer: number): void {
    const a = this.arms.get(name);
    if (!a || answers <= 0) return;
    a.answers += answers;
    a.rows += rows;
    a.gainPerAnswer = a.gainPerAnswer === undefined ? perAnswer : this.smoothing * perAnswer + (1 - this.smoothing) * a.gainPerAnswer;
    a.losingStreak = perAnswer <= 0 ? a.losingStreak + 1 : 0;
  }

  snapshot(): Record<string, ArmStats> {
    return Object.fromEntries([...this.arms].map(([n, a]) => [n, { ...a }]));
  }
}

/** Whole numbers that add up to `total`, by largest remainder, ties broken by arm order. */
export function apportion(names: readonly string[], shares: readonly number[], total: number): Record<string, number> {
  const floors = shares.map((s) => Math.floor(s));
  let left = total - floors.reduce((s, f) => s + f, 0);
  const order = shares.map((s, i) => ({ i, r: s - Math.floor(s) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] += 1;
    left -= 1;
  }
  return Object.fromEntries(names.map((n, i) => [n, floors[i]]));
}
