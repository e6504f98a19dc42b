import { describe, expect, it } from 'vitest';
import { priceFor } from './pricing.js';

describe('priceFor', () => {
  it('knows the common hosted models', () => {
    expect(priceFor('openai:gpt-4o-mini')).toEqual({ inputPerMTok: 0.15, outputPerMTok: 0.6 });
    expect(priceFor('openai:gpt-4o')).toEqual({ inputPerMTok: 2.5, outputPerMTok: 10 });
    expect(priceFor('openai:gpt-4.1-nano')).toEqual({ inputPerMTok: 0.1, outputPerMTok: 0.4 });
    expect(priceFor('openai:gpt-5')).toEqual({ inputPerMTok: 1.25, outputPerMTok: 10 });
    expect(priceFor('openai:o4-mini')).toEqual({ inputPerMTok: 1.1, outputPerMTok: 4.4 });
    expect(priceFor('anthropic:claude-haiku-4-5')).toEqual({ inputPerMTok: 1, outputPerMTok: 5 });
    expect(priceFor('anthropic:claude-opus-4')).toEqual({ inputPerMTok: 15, outputPerMTok: 75 });
  });

  it('resolves dated snapshots and -latest aliases to the longest matching name', () => {
    expect(priceFor('openai:gpt-4o-mini-2024-07-18')).toEqual(priceFor('openai:gpt-4o-mini'));
    expect(priceFor('openai:gpt-4.1-mini-2025-04-14')).toEqual(priceFor('openai:gpt-4.1-mini'));
    expect(priceFor('openai:gpt-5-nano-2025-08-07')).toEqual(priceFor('openai:gpt-5-nano'));
    expect(priceFor('anthropic:claude-3-5-haiku-latest')).toEqual({ inputPerMTok: 0.8, outputPerMTok: 4 });
    expect(priceFor('anthropic:claude-3-5-sonnet-20241022')).toEqual({ inputPerMTok: 3, outputPerMTok: 15 });
    expect(priceFor('anthropic:claude-sonnet-4-5-20250929')).toEqual({ inputPerMTok: 3, outputPerMTok: 15 });
    expect(priceFor('anthropic:claude-opus-4-1-20250805')).toEqual({ inputPerMTok: 15, outputPerMTok: 75 });
    // A longer, more specific entry beats the family name.
    expect(priceFor('openai:gpt-4o-2024-05-13')).toEqual({ inputPerMTok: 5, outputPerMTok: 15 });
    expect(priceFor('anthropic:claude-opus-4-5')).toEqual({ inputPerMTok: 5, outputPerMTok: 25 });
  });

  it('leaves variants that may cost something else unknown rather than guessing', () => {
    expect(priceFor('openai:gpt-5-pro')).toBeUndefined();
    expect(priceFor('openai:gpt-4o-audio-preview')).toBeUndefined();
    expect(priceFor('openai:gpt-4oz')).toBeUndefined();
    expect(priceFor('anthropic:claude-sonnet-4-6')).toBeUndefined();
    expect(priceFor('anthropic:gpt-4o')).toBeUndefined();
    expect(priceFor('google:gemini-2.5-pro')).toBeUndefined();
    expect(priceFor('no-provider')).toBeUndefined();
  });

  it('treats local servers and dataset teachers as free', () => {
    expect(priceFor('openai-compatible:llama3.1')).toEqual({ inputPerMTok: 0, outputPerMTok: 0 });
    expect(priceFor('dataset:/data/labeled.jsonl')).toEqual({ inputPerMTok: 0, outputPerMTok: 0 });
  });

  it('lets an override win over everything', () => {
    const mine = { inputPerMTok: 0.01, outputPerMTok: 0.02 };
    expect(priceFor('openai:gpt-4o', mine)).toEqual(mine);
    expect(priceFor('openai-compatible:llama3.1', mine)).toEqual(mine);
    expect(priceFor('google:gemini-2.5-pro', mine)).toEqual(mine);
  });

  it('hands out copies of the table', () => {
    priceFor('openai:gpt-4o')!.inputPerMTok = 0;
    expect(priceFor('openai:gpt-4o')!.inputPerMTok).toBe(2.5);
  });
});
