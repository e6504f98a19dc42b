import type { Price } from '../task/schema.js';

const p = (inputPerMTok: number, outputPerMTok: number): Price => ({ inputPerMTok, outputPerMTok });

/**
 * List prices in USD per million tokens, standard tier (no batch or cached-input discounts), as
 * published by the providers in November 2025. Prices change: `teacher.price` in the task file
 * overrides this table, and a model missing here has no price rather than a guessed one, because a
 * wrong low price would let a dollar cap leak.
 */
const TABLE: Record<string, Record<string, Price>> = {
  openai: {
    'gpt-4o': p(2.5, 10),
    // The first gpt-4o snapshot kept its launch price.
    'gpt-4o-2024-05-13': p(5, 15),
    'gpt-4o-mini': p(0.15, 0.6),
    'gpt-4.1': p(2, 8),
    'gpt-4.1-mini': p(0.4, 1.6),
    'gpt-4.1-nano': p(0.1, 0.4),
    o3: p(2, 8),
    'o3-mini': p(1.1, 4.4),
    'o4-mini': p(1.1, 4.4),
    'gpt-5': p(1.25, 10),
    'gpt-5-mini': p(0.25, 2),
    'gpt-5-nano': p(0.05, 0.4),
  },
  anthropic: {
    'claude-3-haiku': p(0.25, 1.25),
    'claude-3-opus': p(15, 75),
    'claude-3-5-haiku': p(0.8, 4),
    'claude-3-5-sonnet': p(3, 15),
    'claude-3-7-sonnet': p(3, 15),
    'claude-sonnet-4': p(3, 15),
    'claude-sonnet-4-0': p(3, 15),
    'claude-sonnet-4-5': p(3, 15),
    'claude-opus-4': p(15, 75),
    'claude-opus-4-0': p(15, 75),
    'claude-opus-4-1': p(15, 75),
    'claude-opus-4-5': p(5, 25),
    'claude-haiku-4-5': p(1, 5),
  },
};

/** Providers that run on the user's own hardware or answer from a file: nothing to pay (aliases included). */
const FREE = new Set(['dataset', 'openai-compatible', 'vllm', 'ollama', 'llamacpp', 'lmstudio']);

/**
 * What a model beyond a table name may add and still be the same model at the same price: a dated
 * snapshot (`-2024-07-18`, `-20241022`) or the moving `-latest` alias. Anything else (`-pro`,
 * `-audio-preview`, `-4-6`) may be priced differently, so it is left unknown.
 */
const SAME_MODEL_SUFFIX = /^-(\d{4}-\d{2}-\d{2}|\d{8}|latest)$/;

/**
 * Price of a teacher (`provider:model`). An override always wins; local and dataset teachers are
 * free; a hosted model is matched to the longest table name it extends by a snapshot suffix, and is
 * undefined when none fits.
 */
export function priceFor(teacherId: string, override?: Price): Price | undefined {
  if (override) return { ...override };
  const colon = teacherId.indexOf(':');
  if (colon < 0) return undefined;
  const provider = teacherId.slice(0, colon).toLowerCase();
  if (FREE.has(provider)) return p(0, 0);
  const models = TABLE[provider];
  if (!models) return undefined;
  const model = teacherId
    .slice(colon + 1)
    .trim()
    .toLowerCase();
  let best: string | undefined;
  for (const name of Object.keys(models)) {
    if (!model.startsWith(name)) continue;
    const rest = model.slice(name.length);
    if (rest !== '' && !SAME_MODEL_SUFFIX.test(rest)) continue;
    if (best === undefined || name.length > best.length) best = name;
  }
  return best === undefined ? undefined : { ...models[best]! };
}

/** The providers' batch APIs (OpenAI Batch, Anthropic Message Batches) charge half the online rate. */
export const BATCH_DISCOUNT = 0.5;

/** What the run pays per million tokens: the online price, or the batch rate in batch mode. */
export function runPrice(settings: { model: string; price?: Price; mode?: 'online' | 'batch' }): Price | undefined {
  const price = priceFor(settings.model, settings.price);
  if (!price || settings.mode !== 'batch') return price;
  return { inputPerMTok: price.inputPerMTok * BATCH_DISCOUNT, outputPerMTok: price.outputPerMTok * BATCH_DISCOUNT };
}
