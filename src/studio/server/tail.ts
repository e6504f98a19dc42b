import { closeSync, openSync, readSync, statSync } from 'node:fs';

/**
 * Follows a growing JSONL file (events.jsonl) by polling its size: portable, and a run on another
 * process appends with plain writes, which fs.watch reports unreliably. Whole lines only: a line
 * still being written waits for the next poll.
 */
export function tailLines(
  file: string,
  onLine: (line: string) => void,
  opts: { intervalMs?: number; from?: number } = {},
): () => void {
  let offset = opts.from ?? 0;
  let carry = '';
  let stopped = false;
  const poll = () => {
    if (stopped) return;
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      return;
    }
    // The file was rewritten (a run taken over with --overwrite): start again.
    if (size < offset) {
      offset = 0;
      carry = '';
    }
    if (size === offset) return;
    const fd = openSync(file, 'r');
    try {
      const buf = Buffer.alloc(size - offset);
      readSync(fd, buf, 0, buf.length, offset);
      offset = size;
      const text = carry + buf.toString('utf8');
      const lines = text.split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) onLine(line);
    } finally {
      closeSync(fd);
    }
  };
  poll();
  const timer = setInterval(poll, opts.intervalMs ?? 250);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
