import { describe, expect, it } from 'vitest';
import { StrategyBandit, apportion } from './bandit.js';

describe('StrategyBandit', () => {
  it('follows the prior before anything is measured and always hands out exactly the answers given', () => {
    const b = new StrategyBandit(['pool', 'weak-label', 'hard-negative']);
    const split = b.allocate(100, { pool: 0.6, 'weak-label': 0.2, 'hard-negative': 0.2 });
    expect(Object.values(split).reduce((s, n) => s + n, 0)).toBe(100);
    expect(split.pool).toBe(60);
  });

  it('moves budget toward the arm with the best gain per answer', () => {
    const b = new StrategyBandit(['pool', 'weak-label', 'hard-negative']);
    b.record('pool', 60, 60, 0.06 / 60);
    b.record('weak-label', 20, 20, 0.04 / 20);
    b.record('hard-negative', 20, 20, 0.002 / 20);
    b.endRound();
    const split = b.allocate(100, {});
    expect(split['weak-label']).toBeGreaterThan(split.pool);
    expect(split.pool).toBeGreaterThan(split['hard-negative']);
    expect(Object.values(split).reduce((s, n) => s + n, 0)).toBe(100);
  });

  it('starves an arm whose rows keep hurting: it falls to the exploration floor', () => {
    const b = new StrategyBandit(['pool', 'junk'], { explore: 0.1 });
    b.record('pool', 50, 50, 0.05 / 50);
    b.record('junk', 50, 50, -0.02 / 50);
    b.record('pool', 50, 50, 0.03 / 50);
    b.record('junk', 50, 50, -0.01 / 50);
    for (let i = 0; i < 8; i++) b.endRound();
    const split = b.allocate(100, {});
    expect(split.junk).toBeLessThanOrEqual(5);
    expect(split.pool).toBeGreaterThanOrEqual(95);
  });

  it('when every arm is starved at once, hands out the whole round by the prior instead of only the floor', () => {
    const b = new StrategyBandit(['pool', 'gen']);
    for (let i = 0; i < 2; i++) {
      b.record('pool', 80, 80, -0.0001);
      b.record('gen', 20, 20, -0.0001);
      b.endRound();
    }
    const split = b.allocate(200, { pool: 0.8, gen: 0.2 });
    expect(split.pool + split.gen).toBe(200);
    expect(split.pool).toBe(160);
  });

  it('probes starved arms in turn, enough for their rows to be measured, so one can recover', () => {
    const b = new StrategyBandit(['pool', 'a', 'b'], { explore: 0.1, probe: 12 });
    for (let i = 0; i < 2; i++) {
      b.record('pool', 180, 180, 0.001);
      b.record('a', 10, 10, -0.001);
      b.record('b', 10, 10, -0.001);
      b.endRound();
    }
    const first = b.allocate(200, { pool: 0.8, a: 0.1, b: 0.1 });
    expect(first.pool + first.a + first.b).toBe(200);
    const probed = first.a === 12 ? 'a' : 'b';
    expect(first[probed]).toBe(12);
    expect(first[probed === 'a' ? 'b' : 'a']).toBeLessThan(12);
    b.endRound();
    const second = b.allocate(200, { pool: 0.8, a: 0.1, b: 0.1 });
    expect(second[probed === 'a' ? 'b' : 'a']).toBe(12);
    // A probe that finds the rows useful again ends the starvation.
    b.record('a', 12, 12, 0.002);
    b.record('pool', 180, 180, 0.001);
    b.endRound();
    expect(b.allocate(200, { pool: 0.8, a: 0.1, b: 0.1 }).a).toBeGreaterThan(12);
  });

  it('one lucky probe does not end a junk arm’s starvation: the streak follows the moving average', () => {
    const b = new StrategyBandit(['pool', 'junk'], { explore: 0.1, probe: 12 });
    const prior = { pool: 0.8, junk: 0.2 };
    for (const g of [-0.004, -0.004]) {
      b.record('pool', 160, 160, 0.001);
      b.record('junk', 20, 20, g);
      b.endRound();
    }
    expect(b.allocate(200, prior).junk).toBe(12);
    // Retraining noise: the probe's rows come out a little positive once.
    b.record('pool', 188, 188, 0.001);
    b.record('junk', 12, 12, 0.001);
    b.endRound();
    expect(b.allocate(200, prior).junk).toBe(12);
    expect(b.snapshot().junk.gain).toBeLessThan(0);
  });

  it('never starves a protected arm (the loop protects pool labeling), however its gains come out', () => {
    const b = new StrategyBandit(['pool', 'gen'], { protect: ['pool'] });
    const prior = { pool: 0.8, gen: 0.2 };
    for (let i = 0; i < 3; i++) {
      b.record('pool', 160, 160, -0.001);
      b.record('gen', 40, 40, 0.001);
      b.endRound();
    }
    const split = b.allocate(200, prior);
    // Tilted down to half its prior weight at most, against gen's double: 0.4 against 0.4.
    expect(split.pool).toBeGreaterThan(90);
    const unprotected = new StrategyBandit(['pool', 'gen']);
    for (let i = 0; i < 3; i++) {
      unprotected.record('pool', 160, 160, -0.001);
      unprotected.record('gen', 40, 40, 0.001);
      unprotected.endRound();
    }
    expect(unprotected.allocate(200, prior).pool).toBeLessThan(30);
  });

  it('gives an arm it has not measured yet a try (optimism)', () => {
    const b = new StrategyBandit(['pool', 'new']);
    b.record('pool', 50, 50, 0.05 / 50);
    b.endRound();
    const split = b.allocate(100, {});
    expect(split.new).toBeGreaterThan(20);
  });
});

describe('StrategyBandit trust', () => {
  it('after one noisy round stays close to the prior, and follows the measurements as rounds add up', () => {
    const b = new StrategyBandit(['pool', 'gen']);
    const prior = { pool: 0.8, gen: 0.2 };
    b.record('pool', 80, 80, 0.0002);
    b.record('gen', 20, 20, 0.002);
    b.endRound();
    const early = b.allocate(100, prior);
    expect(early.pool).toBeGreaterThan(65);
    for (let i = 0; i < 6; i++) {
      b.record('pool', 80, 80, 0.0002);
      b.record('gen', 20, 20, 0.002);
      b.endRound();
    }
    const late = b.allocate(100, prior);
    expect(late.gen).toBeGreaterThan(early.gen);
    expect(late.gen).toBeGreaterThan(30);
  });

  it('equal gains per answer keep the prior split: measurements tilt the prior, they do not replace it', () => {
    const b = new StrategyBandit(['pool', 'a', 'b']);
    const prior = { pool: 0.8, a: 0.1, b: 0.1 };
    for (let i = 0; i < 10; i++) {
      b.record('pool', 160, 160, 0.001);
      b.record('a', 20, 20, 0.001);
      b.record('b', 20, 20, 0.001);
      b.endRound();
    }
    expect(b.allocate(200, prior)).toEqual({ pool: 160, a: 20, b: 20 });
  });

  it('however large the measured gap, an arm moves at most maxTilt times its prior weight', () => {
    const b = new StrategyBandit(['pool', 'gen'], { explore: 0, maxTilt: 2 });
    const prior = { pool: 0.8, gen: 0.2 };
    for (let i = 0; i < 50; i++) {
      b.record('pool', 80, 80, 0.00001);
      b.record('gen', 20, 20, 0.01);
      b.endRound();
    }
    const split = b.allocate(1000, prior);
    // gen's weight 0.2 × 2 against pool's 0.8 / 2 (trust just under 1 after 50 rounds): half each at most.
    expect(split.gen).toBeGreaterThan(450);
    expect(split.gen).toBeLessThanOrEqual(500);
  });

  it('with a price, compares arms per dollar: equal gains per answer, a generator charged 40 times a label per answer loses share', () => {
    const prior = { pool: 0.8, gen: 0.2 };
    const split = (priced: boolean) => {
      const b = new StrategyBandit(['pool', 'gen'], { explore: 0 });
      for (let round = 0; round < 4; round++) {
        const gains = b.recordRound(
          {
            pool: { answers: 160, rows: 160, dollars: 0.08, perAnswer: 0.0002 },
            gen: { answers: 40, rows: 40, dollars: 0.8, perAnswer: 0.0002 },
          },
          priced,
        );
        // The gain the arm's answers bought is the same figure either way.
        expect(gains.gen).toBeCloseTo(0.008, 12);
      }
      return { split: b.allocate(200, prior), gen: b.snapshot().gen.gain! };
    };
    const byAnswer = split(false);
    const byDollar = split(true);
    expect(byAnswer.split.gen).toBe(40);
    expect(byAnswer.gen).toBeCloseTo(0.0002, 12);
    // Per dollar gen gains 0.01 and pool 0.4 against a reference of 0.322 (prior-weighted mean):
    // gen's weight 0.2 x 0.5^(2/3) (the 2x cap, to the trust after 4 rounds), pool's 0.8 x 1.242^(2/3),
    // so gen gets 200 x 0.126 / 1.050 = 24 of 200 instead of 40.
    expect(byDollar.gen).toBeCloseTo(0.01, 12);
    expect(byDollar.split.gen).toBe(24);
  });

  it('in a priced run an arm that was charged nothing is not measured (no division by zero)', () => {
    const b = new StrategyBandit(['pool', 'gen']);
    b.recordRound(
      {
        pool: { answers: 100, rows: 100, dollars: 0.05, perAnswer: 0.001 },
        gen: { answers: 10, rows: 10, dollars: 0, perAnswer: 0.001 },
      },
      true,
    );
    expect(b.snapshot().gen.gain).toBeUndefined();
    expect(b.snapshot().pool.gain).toBeCloseTo(0.1 / 0.05, 12);
  });
});

describe('apportion', () => {
  it('rounds shares to whole answers that sum to the total', () => {
    expect(apportion(['a', 'b', 'c'], [33.4, 33.3, 33.3], 100)).toEqual({ a: 34, b: 33, c: 33 });
  });
});
