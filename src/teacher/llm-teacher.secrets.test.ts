import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeTeacher, httpError } from '../../test/fake-llm/index.js';
import { FIXTURE_TASK, llmFixture, type LlmFixture } from '../../test/fake-llm/llm-fixture.js';
import { ConfigError, TeacherCallError } from '../errors.js';
import { MemoryStore } from '../store/memory-store.js';
import { TeacherSettingsSchema } from '../task/schema.js';
import { textId } from '../util/hash.js';
import { CallGate } from './call-gate.js';
import { LlmTeacher } from './llm-teacher.js';

const KEY = 'sk-live-SECRET-4f9a2c7e1b';
const inputs = [{ id: textId('hello'), text: 'hello' }];
const answer = fakeTeacher({ answer: () => 'other' });

let fx: LlmFixture | undefined;
afterEach(async () => {
  await fx?.stop();
  fx = undefined;
});

/** Everything the run keeps or shows, as one string to search. */
function everythingKept(f: LlmFixture, extra: unknown[] = []): string {
  return [
    JSON.stringify(f.gateRequests),
    JSON.stringify(f.events),
    JSON.stringify(f.gate.totals()),
    JSON.stringify(f.store.ledger('run-1')),
    JSON.stringify(f.cached),
    inspect(f.teacher, { depth: 10 }),
    JSON.stringify(f.teacher),
    ...extra.map((x) => (typeof x === 'string' ? x : inspect(x, { depth: 10 }))),
  ].join('\n');
}

describe('API keys', () => {
  it('OpenAI: sent as a Bearer token, and nowhere in gate requests, cache, ledger, events or the teacher', async () => {
    fx = await llmFixture(answer, { env: { OPENAI_API_KEY: KEY } });
    await fx.teacher.label(inputs);
    await fx.teacher.generate({ label: 'bug', n: 2 });
    expect(fx.fake.requests[0].headers.authorization).toBe(`Bearer ${KEY}`);
    expect(fx.cached).toHaveLength(2);
    expect(fx.gateRequests).toHaveLength(2);
    expect(everythingKept(fx)).not.toContain(KEY);
  });

  it('Anthropic: sent as x-api-key, and nowhere else', async () => {
    fx = await llmFixture(answer, {
      settings: { model: 'anthropic:claude-sonnet-4-5' },
      env: { ANTHROPIC_API_KEY: KEY },
    });
    await fx.teacher.label(inputs);
    expect(fx.fake.requests[0].headers['x-api-key']).toBe(KEY);
    expect(fx.fake.requests[0].headers.authorization).toBeUndefined();
    expect(everythingKept(fx)).not.toContain(KEY);
  });

  it('a custom apiKeyEnv is read for an OpenAI-compatible server', async () => {
    fx = await llmFixture(answer, {
      settings: { model: 'openai-compatible:llama3.1', apiKeyEnv: 'MY_GATEWAY_KEY' },
      env: { MY_GATEWAY_KEY: KEY },
    });
    await fx.teacher.label(inputs);
    expect(fx.fake.requests[0].headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('is scrubbed from errors even when the provider echoes it back', async () => {
    fx = await llmFixture(() => httpError(401, `Incorrect API key provided: ${KEY}. You can find your key at ...`), {
      env: { OPENAI_API_KEY: KEY },
    });
    const error = await fx.teacher.label(inputs).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TeacherCallError);
    const e = error as TeacherCallError;
    expect(e.status).toBe(401);
    expect(e.message).toContain('Incorrect API key provided: [redacted]');
    expect(e.hint).toContain('$OPENAI_API_KEY');
    const shown = [e.message, e.hint, e.stack, String(e.cause), JSON.stringify(e), inspect(e, { depth: 10 })].join(
      '\n',
    );
    expect(shown).not.toContain(KEY);
    expect(everythingKept(fx)).not.toContain(KEY);
  });

  it('a missing key is a ConfigError naming the variable to set, before any request', () => {
    const make = (settings: Record<string, unknown>, env: NodeJS.ProcessEnv) => () =>
      new LlmTeacher({
        settings: TeacherSettingsSchema.parse({ baseUrl: 'http://127.0.0.1:9/v1', ...settings }),
        task: FIXTURE_TASK,
        gate: new CallGate({ store: new MemoryStore(), runId: 'r', teacherId: 't', budget: {} }),
        env,
      });
    const thrown = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return e as ConfigError;
      }
      throw new Error('expected a ConfigError');
    };

    const openai = thrown(make({ model: 'openai:gpt-4o-mini' }, {}));
    expect(openai.message).toContain('OPENAI_API_KEY');
    expect(openai.hint).toContain('export OPENAI_API_KEY=');
    // An empty variable is as good as none.
    expect(thrown(make({ model: 'openai:gpt-4o-mini' }, { OPENAI_API_KEY: '' })).message).toContain('OPENAI_API_KEY');
    expect(thrown(make({ model: 'anthropic:claude-sonnet-4-5' }, { OPENAI_API_KEY: KEY })).message).toContain(
      'ANTHROPIC_API_KEY',
    );
    const custom = thrown(make({ model: 'openai:gpt-4o-mini', apiKeyEnv: 'TEAM_OPENAI_KEY' }, { OPENAI_API_KEY: KEY }));
    expect(custom.message).toContain('TEAM_OPENAI_KEY');
    expect(custom.field).toBe('teacher.apiKeyEnv');
    // Local servers run without a key.
    expect(make({ model: 'ollama:llama3.1' }, {})()).toBeInstanceOf(LlmTeacher);
  });
});
