import type { CliIo } from './io.js';

export type Interruptible<T> = { interrupted: true } | { interrupted: false; value: T };

/**
 * Runs `work` with an AbortSignal tied to Ctrl-C. The first Ctrl-C asks the run to stop cleanly
 * (cache and run directory stay consistent); a second one restores the default handler and
 * re-raises, for when the user really means it.
 */
export async function withInterrupt<T>(
  io: CliIo,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<Interruptible<T>> {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) {
      process.off('SIGINT', onSigint);
      process.kill(process.pid, 'SIGINT');
      return;
    }
    io.stderr.write('\nstopping (Ctrl-C again to quit at once)…\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const value = await work(controller.signal);
    return controller.signal.aborted ? { interrupted: true } : { interrupted: false, value };
  } catch (error) {
    if (controller.signal.aborted) return { interrupted: true };
    throw error;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
