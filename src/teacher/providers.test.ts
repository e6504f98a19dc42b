import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { knownProviders, parseModelRef, resolveProvider } from './providers.js';
import { redactSecrets } from './redact.js';

const KEY = 'sk-provider-test-123456';

function configError(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveProvider', () => {
  it('knows the hosted providers and the local OpenAI-compatible aliases', () => {
    expect(knownProviders()).toEqual([
      'openai',
      'anthropic',
      'openai-compatible',
      'vllm',
      'ollama',
      'llamacpp',
      'lmstudio',
    ]);
  });

  it.each([
    ['openai:gpt-4o-mini', 'https://api.openai.com/v1', 'openai.chat'],
    ['anthropic:claude-sonnet-4-5', 'https://api.anthropic.com/v1', 'anthropic.messages'],
    ['ollama:llama3.1', 'http://localhost:11434/v1', 'ollama.chat'],
    ['vllm:Qwen/Qwen2.5-7B-Instruct', 'http://localhost:8000/v1', 'vllm.chat'],
    ['llamacpp:local', 'http://localhost:8080/v1', 'llamacpp.chat'],
    ['lmstudio:phi-4', 'http://localhost:1234/v1', 'lmstudio.chat'],
  ])('%s → %s', (model, baseUrl, sdkProvider) => {
    const p = resolveProvider({ model }, { OPENAI_API_KEY: KEY, ANTHROPIC_API_KEY: KEY });
    expect(p.baseUrl).toBe(baseUrl);
    expect(p.modelId).toBe(model.slice(model.indexOf(':') + 1));
    const lm = p.languageModel();
    expect(typeof lm === 'object' && lm.provider).toBe(sdkProvider);
  });

  it('uses the chat completions API for openai:, so OpenAI-compatible proxies work', () => {
    const lm = resolveProvider(
      { model: 'openai:gpt-4o-mini', baseUrl: 'https://proxy.example/v1/' },
      { OPENAI_API_KEY: KEY },
    ).languageModel();
    expect(typeof lm === 'object' && lm.provider).toBe('openai.chat');
  });

  it('takes baseUrl from the settings over the default, without a trailing slash', () => {
    expect(resolveProvider({ model: 'ollama:x', baseUrl: 'http://gpu-box:11434/v1/' }, {}).baseUrl).toBe(
      'http://gpu-box:11434/v1',
    );
  });

  it('openai-compatible needs a base URL, and says where to set it', () => {
    const e = configError(() => resolveProvider({ model: 'openai-compatible:llama3.1' }, {}));
    expect(e.field).toBe('teacher.baseUrl');
    expect(e.hint).toMatch(/teacher\.baseUrl/);
    expect(
      resolveProvider({ model: 'openai-compatible:llama3.1', baseUrl: 'http://h:1/v1' }, {}).keyEnv,
    ).toBeUndefined();
  });

  it('an unknown provider lists the known ones', () => {
    const e = configError(() => resolveProvider({ model: 'gemini:pro' }, {}));
    expect(e.message).toContain('"gemini"');
    expect(e.hint).toContain('openai, anthropic, openai-compatible, vllm, ollama, llamacpp, lmstudio');
  });

  it('does not mistake inherited object keys for providers', () => {
    configError(() => resolveProvider({ model: 'constructor:x' }, {}));
    configError(() => resolveProvider({ model: '__proto__:x' }, {}));
  });

  it('never exposes the key as data, and redacts it from text', () => {
    const p = resolveProvider({ model: 'openai:gpt-4o-mini' }, { OPENAI_API_KEY: KEY });
    expect(JSON.stringify(p)).not.toContain(KEY);
    expect(p.keyEnv).toBe('OPENAI_API_KEY');
    expect(p.redact(`bad key ${KEY}, really ${KEY}`)).toBe('bad key [redacted], really [redacted]');
  });
});

describe('parseModelRef', () => {
  it('splits at the first colon only', () => {
    expect(parseModelRef('ollama:llama3.1:8b')).toEqual({ provider: 'ollama', modelId: 'llama3.1:8b' });
  });
  it.each(['gpt-4o', ':gpt-4o', 'openai:'])('rejects %j', (model) => {
    expect(configError(() => parseModelRef(model)).field).toBe('teacher.model');
  });
});

describe('redactSecrets', () => {
  it('ignores secrets too short to be keys', () => {
    expect(redactSecrets('a b c', ['a', ''])).toBe('a b c');
  });
});
