import { largestRemainder } from '../util/largest-remainder.js';

/**
 * Shares a round's answers among arms (pool labeling and the generation strategies) by the
 * validation gain per unit of cost each arm's rows brought in earlier rounds: per answer, or per
 * dollar when the teacher's price is known (the loop decides; the bandit only compares arms in
 * one unit). Gains are measured by ablation: the student retrained without one arm's rows of the
 * round, on the same validation set.
 *
 * Every arm keeps a small exploration floor, so an arm that was unlucky once can recover; an arm
 * whose rows keep making the student worse (junk) falls to that floor and stays there: starved.
 */
export interface ArmStats {
  /** Answers the arm has spent over the run. */
  answers: number;
  /** Rows it contributed that survived the filters. */
  rows: number;
  /**
   * Exponential moving average of gain per unit of cost: validation log-likelihood (ablation.ts)
   * per answer, or per dollar when the teacher's price is known.
   */
  gain: number | undefined;
  /** Rounds in a row whose measurement left the moving average of the gain ≤ 0. */
  losingStreak: number;
}

/** One arm's round as the loop measured it: its answers, rows admitted, dollars (with a price) and gain per answer (ablation.ts). */
export interface ArmRound {
  answers: number;
  rows: number;
  dollars?: number;
  perAnswer: number;
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
  /**
   * Most an arm's share may move from its prior, as a factor either way (default 2): per-round
   * gains are mostly retraining noise, and following them freely cost answers (see allocate).
   */
  maxTilt?: number;
  /**
   * Arms never starved, however their gains come out (the loop protects `pool`: labeling the
   * user's own inputs cannot write junk, and its gains swing with retraining noise like any arm's;
   * starving it on two unlucky rounds handed whole rounds to generators). Their share still tilts.
   */
  protect?: readonly string[];
}

export class StrategyBandit {
  readonly arms = new Map<string, ArmStats>();
  private readonly explore: number;
  private readonly smoothing: number;
  private readonly probe: number;
  private readonly maxTilt: number;
  private readonly protect: ReadonlySet<string>;
  /** Rounds measured so far. */
  private rounds = 0;

  constructor(names: readonly string[], options: BanditOptions = {}) {
    for (const n of names) this.arms.set(n, { answers: 0, rows: 0, gain: undefined, losingStreak: 0 });
    this.explore = options.explore ?? 0.15;
    this.smoothing = options.smoothing ?? 0.5;
    this.probe = options.probe ?? 0;
    this.maxTilt = Math.max(1, options.maxTilt ?? 2);
    this.protect = new Set(options.protect ?? []);
  }

  /**
   * Splits `answers` among the arms. `prior` gives the split before anything was measured (e.g. the
   * task's pool share); afterwards each arm's prior weight is tilted by its gain per unit of cost against
   * the prior-weighted mean gain of the measured arms, by at most `maxTilt` either way, and unmeasured arms get
   * the full tilt up (optimism, so each gets tried). Arms that gain alike keep the prior split.
   *
   * Weighting arms by their gains alone (the first design) drifted toward an even split whatever
   * the prior, and followed each round's noise. Held-out half of the test split, 3 seeds, answers to
   * 95% of full-data accuracy (medians), skill profile on / off: banking77 2,354 / 2,354 with it,
   * 1,954 / 1,954 now; emotion 3,212 / 3,212 with it, 3,012 / 3,012 now (docs/data.md has the
   * steps between, a fixed split, and the final accuracies).
   */
  allocate(answers: number, prior: Record<string, number>): Record<string, number> {
    const names = [...this.arms.keys()];
    const measured = names.filter((n) => this.arms.get(n)!.gain !== undefined);
    const priorWeights = names.map((n) => prior[n] ?? 1 / names.length);
    if (measured.length === 0) {
      const sum = priorWeights.reduce((s, w) => s + w, 0);
      return apportion(
        names,
        priorWeights.map((w) => (answers * w) / sum),
        answers,
      );
    }
    const starved = (n: string) => !this.protect.has(n) && this.arms.get(n)!.losingStreak >= 2;
    const gain = (n: string) => Math.max(0, this.arms.get(n)!.gain ?? 0);
    // The reference gain: the prior-weighted mean of the measured arms that are not starved.
    const live = names.map((n, i) => ({ n, i })).filter(({ n }) => measured.includes(n) && !starved(n));
    const liveWeight = live.reduce((s, { i }) => s + priorWeights[i], 0);
    const reference = liveWeight > 0 ? live.reduce((s, { n, i }) => s + priorWeights[i] * gain(n), 0) / liveWeight : 0;
    // One round's measurement is noisy, so trust in it grows with the rounds measured: after one
    // round the tilt is a third of the way to the measured one, after six three-quarters.
    const trust = this.rounds / (this.rounds + PRIOR_ROUNDS);
    const tilt = (n: string): number => {
      // An arm not measured yet gets the most a measured one could (optimism, so each gets tried).
      if (!measured.includes(n)) return this.maxTilt ** trust;
      if (reference <= 0) return 1;
      return Math.min(this.maxTilt, Math.max(1 / this.maxTilt, gain(n) / reference)) ** trust;
    };
    // A starved arm gets the floor alone: its record overrides the prior.
    const tilted = names.map((n, i) => (starved(n) ? 0 : priorWeights[i] * tilt(n)));
    // Every arm starved at once says more about the measurement than about the arms: back to the prior.
    const split = tilted.some((w) => w > 0) ? tilted : priorWeights;
    const splitTotal = split.reduce((s, w) => s + w, 0);
    const priorTotal = priorWeights.reduce((s, w) => s + w, 0);
    // The exploration floor follows the prior, so an arm the task deems minor stays a small probe.
    const shares = names.map(
      (_, i) =>
        this.explore * answers * (priorWeights[i] / priorTotal) +
        (1 - this.explore) * answers * (split[i] / splitTotal),
    );
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

  /**
   * Records one round's measurement for an arm: the validation gain its rows brought per unit of
   * cost (per answer, or per dollar: the same unit for every arm and round of a run).
   */
  record(name: string, answers: number, rows: number, perUnit: number): void {
    const a = this.arms.get(name);
    if (!a || answers <= 0) return;
    a.answers += answers;
    a.rows += rows;
    a.gain = a.gain === undefined ? perUnit : this.smoothing * perUnit + (1 - this.smoothing) * a.gain;
    // On the moving average, not the round's own figure: one lucky probe of a junk arm (retraining
    // noise) would otherwise end its starvation, and one unlucky round counts against a good arm.
    a.losingStreak = a.gain <= 0 ? a.losingStreak + 1 : 0;
  }

  /**
   * Records a whole round (then ends it) in the unit the run compares arms in: gain per answer, or,
   * with `priced` (the teacher's price is known), gain per dollar of the arm's own requests. A
   * generator's answer is a whole text written and can cost many times a label, and with a price
   * the budget that matters is the money. An arm charged nothing in a priced run is not measured.
   * Returns each arm's gain: the measured rate times its answers, whatever the unit.
   */
  recordRound(measured: Record<string, ArmRound>, priced: boolean): Record<string, number> {
    const gains: Record<string, number> = {};
    for (const [name, m] of Object.entries(measured)) {
      const gain = (gains[name] = m.perAnswer * m.answers);
      if (!priced) this.record(name, m.answers, m.rows, m.perAnswer);
      else if ((m.dollars ?? 0) > 0) this.record(name, m.answers, m.rows, gain / m.dollars!);
    }
    this.endRound();
    return gains;
  }

  snapshot(): Record<string, ArmStats> {
    return Object.fromEntries([...this.arms].map(([n, a]) => [n, { ...a }]));
  }
}

/** Whole numbers that add up to `total`, by largest remainder, ties broken by arm order. */
export function apportion(names: readonly string[], shares: readonly number[], total: number): Record<string, number> {
  const whole = largestRemainder(shares, total);
  return Object.fromEntries(names.map((n, i) => [n, whole[i]]));
}
