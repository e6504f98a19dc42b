import { describe, expect, it } from 'vitest';
import { FNV_OFFSET, fmix32, fnv1a, fnvStep } from './fnv.js';

describe('fnv1a', () => {
  it('matches the published FNV-1a 32-bit test vectors', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });

  it('hashes a range without cutting the string, from any basis', () => {
    expect(fnv1a('xxfoobarxx', FNV_OFFSET, 2, 8)).toBe(fnv1a('foobar'));
    let h = 12345;
    for (const c of 'abc') h = fnvStep(h, c.charCodeAt(0));
    expect(fnv1a('abc', 12345)).toBe(h >>> 0);
  });

  it('is unsigned, and fmix32 spreads neighbouring inputs', () => {
    for (const s of ['a', 'b', 'refund', 'é😀']) expect(fnv1a(s)).toBeGreaterThanOrEqual(0);
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBe(0x514e28b7);
    expect(fmix32(-1)).toBe(fmix32(0xffffffff));
  });
});
