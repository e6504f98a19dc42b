import type { ExtractCallPort } from './llm-extract.js';
import { extractGenerateEnvelope, extractGenerateSchema, parseExtractGenerateAnswer } from './generate-answer.js';
import { extractGenerationPrompt } from './generate-prompt.js';
import type { ExtractTaskContext } from './prompts.js';
import type { ExtractGenerateRequest, ExtractGenerateResult } from './types.js';

/**
 * One request for `n` annotated texts aimed at a weakness, charged `n` answers whatever comes back
 * usable (the convention of classification's generate: the gate bought n examples). Structured
 * output restricts the types to the task's; each text's mentions are aligned to that text.
 */
export async function generateWithLlm(
  port: ExtractCallPort,
  task: ExtractTaskContext,
  request: ExtractGenerateRequest,
): Promise<ExtractGenerateResult> {
  const types = task.types.map((t) => t.name);
  for (const t of [request.type, request.confusedWith])
    if (t !== undefined && !types.includes(t))
      throw new RangeError(`cannot generate texts for "${t}": it is not one of the task's types`);
  if (!request.entityFree && request.type === undefined)
    throw new RangeError('a generation request needs a `type` or `entityFree`');
  const n = request.n;
  if (!Number.isInteger(n) || n < 1) return { examples: [], rejected: [], answers: 0 };
  const [answer] = await port.runAll([
    () =>
      port.call({
        kind: 'generate',
        prompt: extractGenerationPrompt(task, request),
        schema: extractGenerateSchema(types),
        schemaName: 'examples',
        answers: n,
        check: extractGenerateEnvelope,
        temperature: port.generateTemperature ?? port.temperature,
        extra: { purpose: 'extract-generate' },
      }),
  ]);
  const parsed = parseExtractGenerateAnswer(answer.text, types, n, answer.truncated);
  for (const r of parsed.rejected) port.onRejected(request.type ?? '(entity-free)', r.reason, 'generate');
  return { ...parsed, answers: n };
}
