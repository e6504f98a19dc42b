export { startFakeLlm, type FakeLlm } from './server.js';
export * from './scripts.js';
export type * from './types.js';
