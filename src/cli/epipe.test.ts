import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN } from './cli-harness.js';

/** `apprentice --help | head -3`: the reader closing stdout early is its choice, not a crash of ours. */
describe('stdout closed early', () => {
  it('exits 0 without an unhandled EPIPE when the reader stops after the first chunk', async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const child = spawn(process.execPath, [BIN, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.stdout.once('data', () => child.stdout.destroy());
      const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      expect(stderr).not.toMatch(/EPIPE|Unhandled/);
      expect(code).toBe(0);
    }
  });
});
