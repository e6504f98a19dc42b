import { describe, expect, it } from 'vitest';
import { BudgetExceededError } from '../errors.js';
import { Emitter, type ApprenticeEvent } from '../events.js';
import { MemoryStore } from '../store/memory-store.js';
import type { Budget, Price } from '../task/schema.js';
import { CallGate, type GateCall } from './call-gate.js';

type Raw = Awaited<ReturnType<GateCall['execute']>>;

function gate(
  store: MemoryStore,
  budget: Budget = {},
  extra: { price?: Price; runId?: string; emitter?: Emitter } = {},
): CallGate {
  return new CallGate({
    store,
    runId: extra.runId ?? 'run',
    teacherId: 'openai:gpt-4o-mini',
    budget,
    price: extra.price,
    emitter: extra.emitter,
  });
}

/** A fake teacher: counts its executes and answers with a numbered body, optionally after a delay. */
function fake(opts: { delayMs?: number; fail?: boolean; raw?: Partial<Raw> } = {}) {
  const f = {
    executes: 0,
    call(request: unknown, answers = 1, estimate = { inputTokens: 10, maxOutputTokens: 10 }): GateCall {
      return {
        request,
        kind: 'label',
        answers,
        estimate,
        execute: async () => {
          const n = ++f.executes;
          if (opts.delayMs) await sleep(opts.delayMs);
          if (opts.fail) throw new Error('provider down');
          return {
            body: { answer: n },
            inputTokens: 5,
            outputTokens: 3,
            httpRequests: 1,
            paidRequests: 1,
            ...opts.raw,
          };
        },
      };
    },
  };
  return f;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

describe('CallGate cache', () => {
  it('answers a repeated run from the cache without executing', async () => {
    const store = new MemoryStore();
    const t = fake();
    const first = await gate(store).run(t.call('q'));
    const again = await gate(store).run(t.call('q'));
    expect(t.executes).toBe(1);
    expect(first.cached).toBe(false);
    expect(again).toEqual({ body: first.body, cached: true, key: first.key });
  });

  it('gives the n-th identical request its own sample, and replays all of them in a fresh gate', async () => {
    const store = new MemoryStore();
    const t = fake();
    const g = gate(store);
    const firstRun = [];
    for (let i = 0; i < 3; i++) firstRun.push(await g.run(t.call('same')));
    expect(new Set(firstRun.map((r) => r.key)).size).toBe(3);
    expect(firstRun.map((r) => r.body)).toEqual([{ answer: 1 }, { answer: 2 }, { answer: 3 }]);

    const replay = fake();
    const g2 = gate(store, {}, { runId: 'resumed' });
    const second = [];
    for (let i = 0; i < 3; i++) second.push(await g2.run(replay.call('same')));
    expect(replay.executes).toBe(0);
    expect(second).toEqual(firstRun.map((r) => ({ ...r, cached: true })));
    // A fourth sample was never bought: it is a miss.
    expect((await g2.run(replay.call('same'))).cached).toBe(false);
  });

  it('keys on the full request', async () => {
    const store = new MemoryStore();
    const t = fake();
    const g = gate(store);
    const a = await g.run(t.call({ model: 'm', text: 'a' }));
    const b = await gate(store).run(t.call({ text: 'b', model: 'm' }));
    const a2 = await gate(store).run(t.call({ text: 'a', model: 'm' }));
    expect(a.key).not.toBe(b.key);
    expect(a2).toMatchObject({ key: a.key, cached: true });
    expect(t.executes).toBe(2);
  });
});

describe('CallGate answer cap', () => {
  it('holds exactly, refusing before executing', async () => {
    const t = fake();
    const g = gate(new MemoryStore(), { answers: 10 });
    for (let i = 0; i < 3; i++) await g.run(t.call(`q${i}`, 3));
    expect(g.used().answers).toBe(9);
    const err = await rejection(g.run(t.call('q3', 3)));
    expect(err).toBeInstanceOf(BudgetExceededError);
    expect((err as BudgetExceededError).limit).toBe('answers');
    expect(t.executes).toBe(3);
    expect(g.remainingAnswers()).toBe(1);
    await g.run(t.call('q4', 1));
    expect(g.used().answers).toBe(10);
    expect(g.remainingAnswers()).toBe(0);
  });

  it('holds under concurrency, failures included', async () => {
    const cap = 37;
    const store = new MemoryStore();
    const g = gate(store, { answers: cap });
    let executed = 0;
    let i = 0;
    const worker = async (w: number) => {
      for (let k = 0; k < 12; k++) {
        const answers = 1 + ((w * 7 + k) % 4);
        const n = i++;
        try {
          await g.run({
            request: `r${n}`,
            kind: 'generate',
            answers,
            estimate: { inputTokens: 1, maxOutputTokens: 1 },
            execute: async () => {
              await sleep(1 + (n % 3));
              if (n % 5 === 0) throw new Error('flaky');
              executed += answers;
              return { body: n, inputTokens: 1, outputTokens: 1, httpRequests: 1, paidRequests: 1 };
            },
          });
        } catch (e) {
          if (!(e instanceof BudgetExceededError) && (e as Error).message !== 'flaky') throw e;
        }
        expect(executed).toBeLessThanOrEqual(cap);
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
    expect(executed).toBeLessThanOrEqual(cap);
    expect(g.used().answers).toBe(executed);
    expect(store.totals('run').answers).toBe(executed);
    // Every reservation was settled or released.
    expect(g.remainingAnswers()).toBe(cap - executed);
  });

  it('refuses a burst of concurrent calls beyond the cap at once', async () => {
    const t = fake({ delayMs: 5 });
    const g = gate(new MemoryStore(), { answers: 10 });
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => g.run(t.call(`q${i}`, 3))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(t.executes).toBe(3);
    for (const r of results.filter((r) => r.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(BudgetExceededError);
  });

  it('counts cached answers too, so a resumed run makes the same decisions', async () => {
    const store = new MemoryStore();
    const decide = async (g: CallGate, t: ReturnType<typeof fake>) => {
      const out: string[] = [];
      for (let i = 0; i < 4; i++) {
        out.push(
          await g.run(t.call('same', 3)).then(
            (r) => (r.cached ? 'hit' : 'paid'),
            (e: BudgetExceededError) => `refused:${e.limit}`,
          ),
        );
      }
      return out;
    };
    const first = fake();
    expect(await decide(gate(store, { answers: 7 }), first)).toEqual([
      'paid',
      'paid',
      'refused:answers',
      'refused:answers',
    ]);
    const resumed = fake();
    const g = gate(store, { answers: 7 }, { runId: 'resumed' });
    expect(await decide(g, resumed)).toEqual(['hit', 'hit', 'refused:answers', 'refused:answers']);
    expect(resumed.executes).toBe(0);
    expect(g.used().answers).toBe(6);
  });

  it('gives a refused call no sample, so the samples of later calls do not shift', async () => {
    const store = new MemoryStore();
    const t = fake({ delayMs: 2, raw: { inputTokens: 10, outputTokens: 10 } });
    const g = gate(store, { tokens: 100 });
    const worst = { inputTokens: 10, maxOutputTokens: 50 };
    const inFlight = g.run(t.call('same', 1, worst));
    expect(await rejection(g.run(t.call('same', 1, worst)))).toBeInstanceOf(BudgetExceededError);
    await inFlight;
    await g.run(t.call('same', 1, worst)); // fits now that the first settled at 20 tokens

    const replay = fake();
    const g2 = gate(store, {}, { runId: 'resumed' });
    for (let i = 0; i < 2; i++) expect((await g2.run(replay.call('same'))).cached).toBe(true);
    expect(replay.executes).toBe(0);
  });
});

describe('CallGate token and dollar caps', () => {
  it('reserves the worst-case tokens and settles the actual ones', async () => {
    const t = fake({ delayMs: 2, raw: { inputTokens: 300, outputTokens: 50 } });
    const g = gate(new MemoryStore(), { tokens: 1000 });
    const worst = { inputTokens: 300, maxOutputTokens: 400 };
    const running = g.run(t.call('a', 1, worst));
    // 700 reserved + 700 more would pass 1000, though the actual usage would fit.
    const err = await rejection(g.run(t.call('b', 1, worst)));
    expect((err as BudgetExceededError).limit).toBe('tokens');
    await running;
    expect(g.used().tokens).toBe(350);
    expect(await rejection(g.run(t.call('c', 1, worst)))).toBeInstanceOf(BudgetExceededError);
    await g.run(t.call('d', 1, { inputTokens: 300, maxOutputTokens: 350 }));
    expect(g.used().tokens).toBe(700);
    expect(t.executes).toBe(2);
  });

  it('reserves the worst-case dollars at the price and records the actual cost', async () => {
    const price = { inputPerMTok: 10, outputPerMTok: 20 };
    const store = new MemoryStore();
    const t = fake({ delayMs: 2, raw: { inputTokens: 100, outputTokens: 50 } });
    const g = gate(store, { dollars: 0.012 }, { price });
    const worst = { inputTokens: 100, maxOutputTokens: 200 }; // $0.005
    const calls = [g.run(t.call('a', 1, worst)), g.run(t.call('b', 1, worst))];
    const err = await rejection(g.run(t.call('c', 1, worst)));
    expect((err as BudgetExceededError).limit).toBe('dollars');
    await Promise.all(calls);
    expect(g.used().dollars).toBeCloseTo(0.004, 12); // 2 × (100×10 + 50×20)/1e6
    expect(store.ledger('run').map((e) => e.dollars)).toEqual([0.002, 0.002]);
    await g.run(t.call('c', 1, worst));
    expect(t.executes).toBe(3);
  });

  it('refuses a dollar cap it cannot enforce for lack of a price', async () => {
    const t = fake();
    const err = await rejection(gate(new MemoryStore(), { dollars: 5 }).run(t.call('q')));
    expect(err).toBeInstanceOf(BudgetExceededError);
    expect((err as BudgetExceededError).limit).toBe('dollars');
    expect((err as Error).message).toMatch(/no price/);
    expect(t.executes).toBe(0);
  });

  it('accepts a dollar cap on a free teacher', async () => {
    const t = fake();
    const g = gate(new MemoryStore(), { dollars: 0.01 }, { price: { inputPerMTok: 0, outputPerMTok: 0 } });
    await g.run(t.call('q'));
    expect(g.used().dollars).toBe(0);
  });
});

describe('CallGate failures', () => {
  it('releases the reservation of a failed execute and caches and records nothing', async () => {
    const store = new MemoryStore();
    const g = gate(store, { answers: 5, tokens: 100 });
    const err = await rejection(g.run(fake({ fail: true }).call('q', 5, { inputTokens: 50, maxOutputTokens: 50 })));
    expect((err as Error).message).toBe('provider down');
    expect(g.remainingAnswers()).toBe(5);
    expect(g.used()).toEqual({ answers: 0, tokens: 0, dollars: 0 });
    expect(store.ledger('run')).toEqual([]);

    // The whole budget is available again, and the retry is stored under the first sample's key,
    // so a fresh run asking once finds it.
    const ok = fake();
    const retry = await g.run(ok.call('q', 5, { inputTokens: 50, maxOutputTokens: 50 }));
    expect(retry.cached).toBe(false);
    const replay = await gate(store, {}, { runId: 'resumed' }).run(ok.call('q', 5));
    expect(replay).toEqual({ ...retry, cached: true });
    expect(ok.executes).toBe(1);
  });
});

describe('CallGate ledger', () => {
  it('records a cache hit as free, with what the answer originally cost', async () => {
    const price = { inputPerMTok: 1000, outputPerMTok: 2000 };
    const store = new MemoryStore();
    const t = fake({ raw: { inputTokens: 10, outputTokens: 5, httpRequests: 3, paidRequests: 2 } });
    await gate(store, {}, { price }).run(t.call('q', 4));
    const events: ApprenticeEvent[] = [];
    const emitter = new Emitter();
    emitter.on((e) => events.push(e));
    await gate(store, {}, { price, runId: 'resumed', emitter }).run(t.call('q', 4));

    const [paid] = store.ledger('run');
    const [hit] = store.ledger('resumed');
    expect(paid).toMatchObject({
      cached: false,
      answers: 4,
      httpRequests: 3,
      paidRequests: 2,
      inputTokens: 10,
      outputTokens: 5,
      dollars: 0.02,
      dollarsUsed: 0.02,
    });
    expect(hit).toMatchObject({
      cached: true,
      answers: 4,
      httpRequests: 0,
      paidRequests: 0,
      inputTokens: 10,
      outputTokens: 5,
      dollars: 0,
      dollarsUsed: 0.02,
      key: paid!.key,
    });
    expect(store.totals('resumed')).toMatchObject({
      calls: 1,
      cacheHits: 1,
      answers: 4,
      dollars: 0,
      dollarsUsed: 0.02,
      httpRequests: 0,
    });
    expect(events.map((e) => e.type)).toEqual(['teacher-call-start', 'teacher-call-end']);
    expect(events[1]).toMatchObject({ cached: true, dollars: 0, httpRequests: 0 });
  });
});
