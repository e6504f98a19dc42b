import { describe, expect, it } from 'vitest';
import { serial } from './serial.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('serial', () => {
  it('starts each action after the one before it has finished, in the order given', async () => {
    const queue = serial();
    const log: string[] = [];
    const slow = queue(async () => {
      log.push('undo start');
      await tick(30);
      log.push('undo end');
    });
    const fast = queue(() => {
      log.push('reject');
    });
    await Promise.all([slow, fast]);
    expect(log).toEqual(['undo start', 'undo end', 'reject']);
  });

  it('a failed action rejects its own promise and the next one still runs', async () => {
    const queue = serial();
    const failed = queue(async () => {
      throw new Error('server said 500');
    });
    const next = queue(() => undefined);
    await expect(failed).rejects.toThrow('server said 500');
    await expect(next).resolves.toBeUndefined();
  });
});
