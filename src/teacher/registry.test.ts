import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { MemoryStore } from '../store/memory-store.js';
import { TeacherSettingsSchema } from '../task/schema.js';
import { CallGate } from './call-gate.js';
import { LlmTeacher } from './llm-teacher.js';
import { createTeacher, teacherProviders } from './registry.js';

const task = {
  instruction: 'Route support messages.',
  labels: [{ name: 'billing' }, { name: 'bug' }],
  multiLabel: false,
};
const ctx = (env: NodeJS.ProcessEnv = { OPENAI_API_KEY: 'sk-registry-test' }) => ({
  task,
  gate: new CallGate({ store: new MemoryStore(), runId: 'r', teacherId: 't', budget: {} }),
  env,
});
const settings = (model: string, extra: Record<string, unknown> = {}) =>
  TeacherSettingsSchema.parse({ model, ...extra });

describe('createTeacher', () => {
  it.each(['openai:gpt-4o-mini', 'ollama:llama3.1', 'openai-compatible:m'])('%s is an LLM teacher', async (model) => {
    const teacher = await createTeacher(settings(model, { baseUrl: 'http://127.0.0.1:9/v1' }), ctx());
    expect(teacher).toBeInstanceOf(LlmTeacher);
    expect(teacher.kind).toBe('llm');
    expect(teacher.id).toBe(model);
  });

  it('an unknown provider is a ConfigError listing every teacher kind', async () => {
    const e = await createTeacher(settings('gemini:pro'), ctx()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).hint).toContain('dataset');
    expect((e as ConfigError).hint).toContain('openai');
    expect(teacherProviders()).toEqual(
      expect.arrayContaining(['dataset', 'openai', 'anthropic', 'openai-compatible', 'ollama']),
    );
  });

  it('a missing key surfaces as the ConfigError from the provider', async () => {
    await expect(createTeacher(settings('anthropic:claude-sonnet-4-5'), ctx({}))).rejects.toThrow(/ANTHROPIC_API_KEY/);
  });

  it('routes dataset: to the dataset teacher, loaded on demand', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apprentice-registry-'));
    const file = join(dir, 'labeled.jsonl');
    writeFileSync(file, '{"text":"I was charged twice","label":"billing"}\n{"text":"It crashes","label":"bug"}\n');
    try {
      const teacher = await createTeacher(settings(`dataset:${file}`), { ...ctx(), taskDir: dir, seed: 1 });
      expect(teacher.kind).toBe('dataset');
      // Its answers are the file's.
      expect(await teacher.label([{ id: 'a', text: 'It crashes' }])).toMatchObject([
        { id: 'a', ok: true, labels: ['bug'] },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
