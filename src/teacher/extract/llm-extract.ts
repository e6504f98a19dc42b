import type { z } from 'zod';
import type { Envelope } from '../output-schema.js';
import type { Prompt } from '../prompts.js';
import { extractAnswerSchema, parseExtractAnswer } from './output-schema.js';
import { type ExtractTaskContext, extractionPrompt } from './prompts.js';
import type { ExtractInput, ExtractOptions, ExtractResult } from './types.js';

/** What an LLM teacher lends the extraction path: one gate call (cache, budget, retries) and its concurrency. */
export interface ExtractCallPort {
  call(c: {
    kind: 'label' | 'generate';
    prompt: Prompt;
    schema: z.ZodType;
    schemaName: string;
    answers: number;
    check: (text: string, truncated: boolean) => Envelope<unknown>;
    temperature: number;
    extra?: Record<string, unknown>;
  }): Promise<{ text: string; truncated: boolean }>;
  runAll<T>(jobs: (() => Promise<T>)[]): Promise<T[]>;
  temperature: number;
  /** Sampling temperature of generation requests (default: `temperature`). */
  generateTemperature?: number;
  /** Told about every answer (or generated example) that could not be used as a whole. */
  onRejected(id: string, reason: string, kind?: 'label' | 'generate'): void;
}

/**
 * One request per text (a text is one answer): the extraction prompt, structured output restricted
 * to the task's types, and the answer aligned to offsets. An answer that is not an entities object
 * is asked again (the envelope check); one that still is not becomes a rejected result with its raw
 * text. Mentions that cannot be placed are kept as rejected mentions beside the spans.
 */
export async function extractWithLlm(
  port: ExtractCallPort,
  task: ExtractTaskContext,
  inputs: readonly ExtractInput[],
  options: ExtractOptions = {},
): Promise<ExtractResult[]> {
  const temperature = options.temperature ?? port.temperature;
  const types = task.types.map((t) => t.name);
  const schema = extractAnswerSchema(types);
  const check = (text: string, truncated: boolean): Envelope<unknown> => {
    // The input text is not needed to see whether the envelope holds: align against an empty one.
    const parsed = parseExtractAnswer(text, '', types, { truncated, fuzzyThreshold: 1 });
    return parsed.ok ? { ok: true, value: parsed } : { ok: false, problem: parsed.reason };
  };
  return port.runAll(
    inputs.map((input) => async (): Promise<ExtractResult> => {
      const answer = await port.call({
        kind: 'label',
        prompt: extractionPrompt(task, input.text),
        schema,
        schemaName: 'entities',
        answers: 1,
        check,
        temperature,
        extra: { purpose: 'extract' },
      });
      const parsed = parseExtractAnswer(answer.text, input.text, types, { truncated: answer.truncated });
      if (!parsed.ok) {
        port.onRejected(input.id, parsed.reason);
        return { id: input.id, ok: false, raw: parsed.raw, reason: parsed.reason };
      }
      return {
        id: input.id,
        ok: true,
        spans: parsed.spans.map(({ start, end, type, text, status }) => ({ start, end, type, text, status })),
        rejected: parsed.rejected,
      };
    }),
  );
}
