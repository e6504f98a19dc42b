import type { LanguageModel } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { ConfigError } from '../errors.js';
import type { TeacherSettings } from '../task/schema.js';
import { redactSecrets } from './redact.js';

type Fetch = typeof globalThis.fetch;

interface ModelOptions {
  provider: string;
  modelId: string;
  baseUrl: string;
  apiKey?: string;
  fetch?: Fetch;
}

/** How to build one provider's models. Adding a provider is adding a row to PROVIDERS. */
export interface ProviderSpec {
  /** Environment variable read for the key when `apiKeyEnv` is not set. */
  keyEnv?: string;
  /** Hosted APIs refuse anonymous calls, so a missing key is a config error before any request. */
  keyRequired: boolean;
  /** Undefined means the user must give `teacher.baseUrl`. */
  defaultBaseUrl?: string;
  create(options: ModelOptions): LanguageModel;
}

const openAiCompatible = (defaultBaseUrl?: string): ProviderSpec => ({
  keyRequired: false,
  defaultBaseUrl,
  create: ({ provider, modelId, baseUrl, apiKey, fetch }) =>
    createOpenAICompatible({
      name: provider,
      baseURL: baseUrl,
      apiKey,
      fetch,
      // vLLM, Ollama, llama.cpp and LM Studio all accept `response_format: json_schema`; without this
      // the SDK would send bare `json_object` and the label enum would not constrain decoding.
      supportsStructuredOutputs: true,
      includeUsage: true,
    }).chatModel(modelId),
});

export const PROVIDERS: Readonly<Record<string, ProviderSpec>> = {
  openai: {
    keyEnv: 'OPENAI_API_KEY',
    keyRequired: true,
    defaultBaseUrl: 'https://api.openai.com/v1',
    // Chat Completions rather than the SDK's default Responses API: every OpenAI-compatible proxy
    // (LiteLLM, OpenRouter, Azure-style gateways) speaks it, so `openai:` + baseUrl works for them too.
    create: ({ modelId, baseUrl, apiKey, fetch }) => createOpenAI({ apiKey, baseURL: baseUrl, fetch }).chat(modelId),
  },
  anthropic: {
    keyEnv: 'ANTHROPIC_API_KEY',
    keyRequired: true,
    defaultBaseUrl: 'https://api.anthropic.com/v1',
    create: ({ modelId, baseUrl, apiKey, fetch }) => createAnthropic({ apiKey, baseURL: baseUrl, fetch })(modelId),
  },
  'openai-compatible': openAiCompatible(),
  // Local servers' own default ports, so `ollama:llama3.1` works with no further settings.
  vllm: openAiCompatible('http://localhost:8000/v1'),
  ollama: openAiCompatible('http://localhost:11434/v1'),
  llamacpp: openAiCompatible('http://localhost:8080/v1'),
  lmstudio: openAiCompatible('http://localhost:1234/v1'),
};

export function knownProviders(): string[] {
  return Object.keys(PROVIDERS);
}

export function parseModelRef(model: string): { provider: string; modelId: string } {
  const colon = model.indexOf(':');
  if (colon <= 0 || colon === model.length - 1) {
    throw new ConfigError(`teacher model "${model}" is not of the form provider:model`, {
      field: 'teacher.model',
      hint: 'write it as provider:model, e.g. openai:gpt-4o-mini or ollama:llama3.1',
    });
  }
  return { provider: model.slice(0, colon), modelId: model.slice(colon + 1) };
}

/**
 * A provider with its key bound. The key lives only in this closure: it is not a property, so it
 * cannot end up in a cache request, an event or a logged object by accident.
 */
export interface ResolvedProvider {
  readonly provider: string;
  readonly modelId: string;
  /** Effective base URL (part of the cache key: a proxy may serve a different model under the same name). */
  readonly baseUrl: string;
  /** Env var the key came from, for hints; never the key itself. */
  readonly keyEnv?: string;
  /** A fresh model; `fetch` lets the caller count and time out each HTTP attempt of one call. */
  languageModel(fetch?: Fetch): LanguageModel;
  /** Replaces the key wherever it occurs in `text`. */
  redact(text: string): string;
}

export type ProviderSettings = Pick<TeacherSettings, 'model' | 'baseUrl' | 'apiKeyEnv'>;

/**
 * Resolves `provider:model`, base URL and key. Keys are read only from the environment: the
 * default variable of the provider, or `apiKeyEnv`. The SDK's own env fallbacks (OPENAI_BASE_URL,
 * ANTHROPIC_BASE_URL) are bypassed by always passing an explicit base URL, so the URL in the cache
 * key is the one actually called.
 */
export function resolveProvider(settings: ProviderSettings, env: NodeJS.ProcessEnv = process.env): ResolvedProvider {
  const { provider, modelId } = parseModelRef(settings.model);
  const spec = Object.hasOwn(PROVIDERS, provider) ? PROVIDERS[provider] : undefined;
  if (!spec) {
    throw new ConfigError(`unknown teacher provider "${provider}"`, {
      field: 'teacher.model',
      hint: `use one of: ${knownProviders().join(', ')} (as provider:model)`,
    });
  }

  const baseUrl = (settings.baseUrl ?? spec.defaultBaseUrl)?.replace(/\/+$/, '');
  if (!baseUrl) {
    throw new ConfigError(`teacher provider "${provider}" needs a base URL`, {
      field: 'teacher.baseUrl',
      hint: "set teacher.baseUrl to the server's OpenAI-compatible endpoint, e.g. http://localhost:8000/v1",
    });
  }

  const keyEnv = settings.apiKeyEnv ?? spec.keyEnv;
  const apiKey = keyEnv ? env[keyEnv] || undefined : undefined;
  // An explicit apiKeyEnv means the user expects a key, even for servers that can run without one.
  if (!apiKey && keyEnv && (spec.keyRequired || settings.apiKeyEnv)) {
    throw new ConfigError(`no API key for teacher provider "${provider}": environment variable ${keyEnv} is not set`, {
      field: settings.apiKeyEnv ? 'teacher.apiKeyEnv' : 'teacher.model',
      hint: `export ${keyEnv}=<your key> before running (keys are never read from the task file)`,
    });
  }

  const secrets = apiKey ? [apiKey] : [];
  return {
    provider,
    modelId,
    baseUrl,
    keyEnv,
    languageModel: (fetch) => spec.create({ provider, modelId, baseUrl, apiKey, fetch }),
    redact: (text) => redactSecrets(text, secrets),
  };
}
