import { describe, expect, it } from 'vitest';
import { withInterrupt } from './interrupt.js';
import type { CliIo } from './io.js';

const io: CliIo = { stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd: process.cwd() };

describe('withInterrupt', () => {
  it('turns Ctrl-C into an aborted signal and an interrupted outcome', async () => {
    const listenersBefore = process.listenerCount('SIGINT');
    const outcome = await withInterrupt(
      io,
      (signal) =>
        new Promise<string>((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason));
          setImmediate(() => process.emit('SIGINT', 'SIGINT'));
        }),
    );
    expect(outcome).toEqual({ interrupted: true });
    expect(process.listenerCount('SIGINT')).toBe(listenersBefore);
  });

  it('passes the value through when nothing interrupts', async () => {
    expect(await withInterrupt(io, async () => 42)).toEqual({ interrupted: false, value: 42 });
  });

  it('lets real errors through', async () => {
    await expect(
      withInterrupt(io, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
  });
});
