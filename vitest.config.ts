import { defineConfig } from 'vitest/config';

// Tests import `apprentice` (and its subpaths) as the TypeScript sources, through this condition in
// package.json "exports"; without it they would need a build and could test a stale dist/.
const conditions = ['@apprentice/source', 'import', 'module', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@apprentice/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
    // Real training and real HTTP on loopback: allow generous time, but no test asserts on wall time.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
