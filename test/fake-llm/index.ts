export { startFakeLlm, type FakeLlm } from './server.js';
export * from './scripts.js';
export type * from './types.js';
export { fakeLlmPerTest, type FakeLlmPerTest } from './per-test.js';
