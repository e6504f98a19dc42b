import { afterEach, describe, expect, it } from 'vitest';
import type { CachedResponse, LedgerEntry, Store } from './types.js';
import { totalsOf } from './totals.js';

/** Behaviour every Store must have. Run it once per implementation, from that implementation's test file. */
export function runStoreContract(name: string, factory: () => Store): void {
  describe(`Store contract: ${name}`, () => {
    const open: Store[] = [];
    const make = (): Store => {
      const s = factory();
      open.push(s);
      return s;
    };
    afterEach(() => {
      for (const s of open.splice(0)) s.close();
    });

    it('keeps batch records until they are closed, and finds the open one that holds an item', () => {
      const s = make();
      expect(s.openBatchFor('item-a')).toBeUndefined();
      s.recordBatch({
        id: 'batch-1',
        provider: 'openai',
        items: ['item-a', 'item-b'],
        createdAt: '2026-12-07T00:00:00Z',
      });
      s.recordBatch({ id: 'batch-2', provider: 'openai', items: ['item-c'], createdAt: '2026-12-07T00:01:00Z' });
      expect(s.openBatchFor('item-b')).toEqual({
        id: 'batch-1',
        provider: 'openai',
        items: ['item-a', 'item-b'],
        createdAt: '2026-12-07T00:00:00Z',
      });
      expect(s.openBatchFor('item-c')?.id).toBe('batch-2');
      s.closeBatch('batch-1', 'completed');
      expect(s.openBatchFor('item-a')).toBeUndefined();
      expect(s.openBatchFor('item-c')?.id).toBe('batch-2');
      // An item asked for again after its batch closed lands in a newer batch, which is the open one.
      s.recordBatch({ id: 'batch-3', provider: 'openai', items: ['item-a'], createdAt: '2026-12-07T00:02:00Z' });
      expect(s.openBatchFor('item-a')?.id).toBe('batch-3');
    });

    it('returns what was put, as a copy', () => {
      const s = make();
      const r = response({ labels: ['billing'], nested: { list: [1, 2, { deep: 'ü ✓' }], none: null } });
      s.putCached('k', r);
      const got = s.getCached('k')!;
      expect(got).toEqual(r);
      // Neither the caller's object nor a returned one may alias what the store holds.
      (r.body as { labels: string[] }).labels.push('mutated-input');
      (got.body as { labels: string[] }).labels.push('mutated-output');
      got.inputTokens = -1;
      expect(s.getCached('k')).toEqual(
        response({ labels: ['billing'], nested: { list: [1, 2, { deep: 'ü ✓' }], none: null } }),
      );
    });

    it('stores bodies of any JSON shape', () => {
      const s = make();
      const bodies: unknown[] = ['plain text', 42, null, [], ['a', { b: true }], { text: '' }];
      bodies.forEach((b, i) => s.putCached(`k${i}`, response(b)));
      bodies.forEach((b, i) => expect(s.getCached(`k${i}`)!.body).toEqual(b));
    });

    it('keeps the first answer written under a key', () => {
      const s = make();
      s.putCached('k', response('first', { inputTokens: 1 }));
      s.putCached('k', response('second', { inputTokens: 2 }));
      expect(s.getCached('k')).toEqual(response('first', { inputTokens: 1 }));
    });

    it('answers undefined for a key never written', () => {
      const s = make();
      expect(s.getCached('absent')).toBeUndefined();
      s.putCached('present', response('x'));
      expect(s.getCached('absent')).toBeUndefined();
    });

    it('keeps ledger lines per run, in append order, as copies', () => {
      const s = make();
      const a1 = entry({ runId: 'a', key: 'k1' });
      const b1 = entry({ runId: 'b', key: 'k2', cached: true, dollars: 0 });
      const a2 = entry({ runId: 'a', key: 'k3', kind: 'generate' });
      s.appendLedger(a1);
      s.appendLedger(b1);
      s.appendLedger(a2);
      expect(s.ledger('a')).toEqual([a1, a2]);
      expect(s.ledger('b')).toEqual([b1]);
      expect(s.ledger('none')).toEqual([]);
      s.ledger('a')[0]!.answers = 999;
      a1.answers = 998;
      expect(s.ledger('a')[0]!.answers).toBe(5);
    });

    it('totals a run as the sum of its ledger lines', () => {
      const s = make();
      expect(s.totals('empty')).toEqual(totalsOf([]));
      const lines = [
        entry({
          runId: 'r',
          answers: 3,
          inputTokens: 120,
          outputTokens: 40,
          dollars: 0.000_123,
          dollarsUsed: 0.000_123,
          ms: 17,
        }),
        entry({
          runId: 'r',
          answers: 2,
          cached: true,
          httpRequests: 0,
          paidRequests: 0,
          dollars: 0,
          dollarsUsed: 0.1,
          ms: 1,
        }),
        entry({ runId: 'r', answers: 1, httpRequests: 3, paidRequests: 2, dollars: 0.2, dollarsUsed: 0.2 }),
        entry({ runId: 'other', answers: 100, dollars: 50, dollarsUsed: 50 }),
      ];
      for (const l of lines) s.appendLedger(l);
      const got = s.totals('r');
      const want = totalsOf(s.ledger('r'));
      // Dollars are floats summed in possibly different order/precision; everything else is exact.
      expect({ ...got, dollars: 0, dollarsUsed: 0 }).toEqual({ ...want, dollars: 0, dollarsUsed: 0 });
      expect(got.dollars).toBeCloseTo(want.dollars, 12);
      expect(got.dollarsUsed).toBeCloseTo(want.dollarsUsed, 12);
      expect(got).toMatchObject({ answers: 6, calls: 3, cacheHits: 1 });
    });

    it('closes, and closing twice is harmless', () => {
      const s = factory();
      s.putCached('k', response('x'));
      s.close();
      expect(() => s.close()).not.toThrow();
    });
  });
}

export function response(body: unknown, over: Partial<CachedResponse> = {}): CachedResponse {
  return {
    body,
    inputTokens: 100,
    outputTokens: 20,
    httpRequests: 1,
    paidRequests: 1,
    dollars: 0.0001,
    ms: 250,
    createdAt: '2025-01-02T03:04:05.000Z',
    ...over,
  };
}

export function entry(over: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    runId: 'run',
    teacher: 'openai:gpt-4o-mini',
    kind: 'label',
    key: 'key',
    answers: 5,
    cached: false,
    httpRequests: 1,
    paidRequests: 1,
    inputTokens: 100,
    outputTokens: 20,
    dollars: 0.0001,
    dollarsUsed: 0.0001,
    ms: 250,
    at: '2025-01-02T03:04:05.000Z',
    ...over,
  };
}
