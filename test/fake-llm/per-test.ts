import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { startFakeLlm, type FakeLlm } from './server.js';
import type { FakeHandler } from './types.js';

export interface FakeLlmPerTest {
  /** This test's temporary directory (task files, run output). */
  readonly dir: string;
  /** Starts this test's fake server; it is stopped after the test. */
  start(handler: FakeHandler): Promise<FakeLlm>;
}

/**
 * For a suite whose tests each run distill against a fake LLM: a fresh temporary directory per
 * test and a server started on demand, both gone after each test (stopped, removed).
 */
export function fakeLlmPerTest(prefix: string): FakeLlmPerTest {
  let dir = '';
  let fake: FakeLlm | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    await fake?.stop();
    fake = undefined;
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    async start(handler) {
      fake = await startFakeLlm(handler);
      return fake;
    },
  };
}
