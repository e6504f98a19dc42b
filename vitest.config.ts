import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
    // Real training and real HTTP on loopback: allow generous time, but no test asserts on wall time.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
