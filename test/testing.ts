/**
 * `apprentice/testing`: the suites Apprentice tests its own teachers, students and stores with, and
 * the fake LLM server (OpenAI- and Anthropic-shaped, on loopback) its LLM teachers are tested
 * against. Add a provider, a student kind or a store, and call the matching `run…Contract` from a
 * vitest file. The suites are written with vitest's describe/it/expect, so vitest (a peer
 * dependency) must be installed to import this module.
 */
export {
  runTeacherContract,
  CONTRACT_TASK,
  CONTRACT_EXAMPLES,
  type ContractContext,
  type ContractFactory,
  type ContractOptions,
} from '../src/teacher/teacher.contract.js';
export { runStudentContract, type StudentFactory } from '../src/student/student.contract.js';
export { runStoreContract } from '../src/store/store.contract.js';
export { TOPIC_LABELS, topicRows, multiTopicRows } from '../src/student/synthetic-topics.js';
export * from './fake-llm/index.js';
