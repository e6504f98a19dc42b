import { describe, expect, it } from 'vitest';
import { TeacherCallError } from '../errors.js';
import { MemoryStore } from '../store/memory-store.js';
import type { Budget } from '../task/schema.js';
import { CallGate, type GateCall, type GateLease } from './call-gate.js';

const gate = (store: MemoryStore, budget: Budget = {}) =>
  new CallGate({
    store,
    runId: 'run',
    teacherId: 'openai:gpt-4o-mini',
    budget,
    price: { inputPerMTok: 1, outputPerMTok: 2 },
  });

function call(execute: GateCall['execute'], estimate = { inputTokens: 60, maxOutputTokens: 40 }): GateCall {
  return { request: 'q', kind: 'label', answers: 2, estimate, execute };
}

const answer = (inputTokens: number, outputTokens: number, paid = 1) => ({
  body: 'ok',
  inputTokens,
  outputTokens,
  httpRequests: paid,
  paidRequests: paid,
});

describe('CallGate: a call that fails after paying still reaches the ledger', () => {
  it('writes a line with no answers for the billed requests of a failed call, and spends no budget on it', async () => {
    const store = new MemoryStore();
    const g = gate(store, { answers: 10 });
    const failure = new TeacherCallError('HTTP 500 after 4 attempts', {
      isRetryable: true,
      status: 500,
      spend: { httpRequests: 4, paidRequests: 2, inputTokens: 0, outputTokens: 0 },
    });
    await expect(
      g.run(
        call(async () => {
          throw failure;
        }),
      ),
    ).rejects.toBe(failure);
    expect(g.ledger()).toMatchObject([{ kind: 'label', answers: 0, cached: false, httpRequests: 4, paidRequests: 2 }]);
    // Replaying from the cache never makes this call, so it must not shift budget decisions.
    expect(g.used()).toEqual({ answers: 0, tokens: 0, dollars: 0 });
    expect(g.remainingAnswers()).toBe(10);

    // The retry takes over the freed sample; the ledger now has both lines.
    await g.run(call(async () => answer(50, 10)));
    expect(g.totals()).toMatchObject({ calls: 2, answers: 2, httpRequests: 5, paidRequests: 3 });
  });

  it('leaves no line for a failure that paid for nothing, or for an error without a spend', async () => {
    const store = new MemoryStore();
    const g = gate(store);
    const unpaid = new TeacherCallError('all 503', {
      isRetryable: true,
      status: 503,
      spend: { httpRequests: 3, paidRequests: 0, inputTokens: 0, outputTokens: 0 },
    });
    await expect(
      g.run(
        call(async () => {
          throw unpaid;
        }),
      ),
    ).rejects.toBe(unpaid);
    await expect(
      g.run(
        call(async () => {
          throw new Error('bug');
        }),
      ),
    ).rejects.toThrow('bug');
    expect(g.ledger()).toEqual([]);
  });
});

describe('CallGate lease: another paid attempt only within the caps', () => {
  it("reserves a re-ask's worst case on top of the call's and refuses one the token cap cannot take", async () => {
    const store = new MemoryStore();
    const g = gate(store, { tokens: 250 });
    const granted: boolean[] = [];
    await g.run(
      call(async (lease: GateLease) => {
        // 100 reserved for the call; 120 more fit under 250, another 120 would not.
        granted.push(lease.extend({ inputTokens: 80, maxOutputTokens: 40 }));
        granted.push(lease.extend({ inputTokens: 80, maxOutputTokens: 40 }));
        return answer(150, 60, 2);
      }),
    );
    expect(granted).toEqual([true, false]);
    expect(g.used().tokens).toBe(210);
    // Settled: the extra reservation is released with the call's.
    await expect(
      g.run(call(async () => answer(30, 10), { inputTokens: 20, maxOutputTokens: 20 })),
    ).resolves.toMatchObject({ cached: false });
    expect(g.used().tokens).toBe(250);
  });

  it('holds an extension against concurrent calls while it is in flight, and releases it when the call fails', async () => {
    const store = new MemoryStore();
    const g = gate(store, { tokens: 300 });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const first = g.run(
      call(async (lease) => {
        expect(lease.extend({ inputTokens: 60, maxOutputTokens: 40 })).toBe(true);
        await held;
        throw new Error('gave up');
      }),
    );
    // 200 reserved by the first call: a second one (100) still fits, a third does not.
    const second = g.run(call(async () => answer(10, 10)));
    await expect(g.run(call(async () => answer(10, 10)))).rejects.toThrow(/tokens/);
    release();
    await expect(first).rejects.toThrow('gave up');
    await second;
    await expect(g.run(call(async () => answer(10, 10)))).resolves.toBeDefined();
  });

  it('counts a re-ask against the dollar cap as well', async () => {
    const store = new MemoryStore();
    // $1 per M input, $2 per M output: the call's worst case is $0.00014.
    const g = gate(store, { dollars: 0.0002 });
    let granted: boolean | undefined;
    await g.run(
      call(async (lease) => ((granted = lease.extend({ inputTokens: 60, maxOutputTokens: 40 })), answer(10, 10))),
    );
    expect(granted).toBe(false);
  });
});
