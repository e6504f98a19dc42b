import { afterAll, beforeAll } from 'vitest';
import { dictionaryTeacher, startFakeLlm, type FakeLlm } from '../../test/fake-llm/index.js';
import { TeacherSettingsSchema } from '../task/schema.js';
import { LlmTeacher } from './llm-teacher.js';
import { CONTRACT_EXAMPLES, runTeacherContract } from './teacher.contract.js';

const env = { OPENAI_API_KEY: 'sk-contract-openai', ANTHROPIC_API_KEY: 'sk-ant-contract' };
let fake: FakeLlm;

beforeAll(async () => {
  fake = await startFakeLlm(dictionaryTeacher(Object.fromEntries(CONTRACT_EXAMPLES.map((e) => [e.text, e.label]))));
});
afterAll(() => fake.stop());

// Anthropic twice: newer models get native structured output, older ones a forced JSON tool.
const MODELS = [
  'openai:gpt-4o-mini',
  'anthropic:claude-sonnet-4-5',
  'anthropic:claude-3-5-haiku-latest',
  'openai-compatible:llama3.1',
];

for (const model of MODELS) {
  runTeacherContract(
    model,
    ({ gate, task }) =>
      new LlmTeacher({
        settings: TeacherSettingsSchema.parse({ model, baseUrl: fake.baseUrl, batchSize: 4, concurrency: 2 }),
        task,
        gate,
        env,
      }),
    { httpRequests: () => fake.requests.length },
  );
}
