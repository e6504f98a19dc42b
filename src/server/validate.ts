import type { z } from 'zod';
import { HttpError } from './http-error.js';
import type { ServeLimits } from './limits.js';
import { type PredictRequest, predictRequestSchema } from './schemas.js';

/**
 * Parses a predict body into a request, or throws the HttpError that says what is wrong. The size
 * limits are part of the schema (so /openapi.json shows them); here their zod issues become 413s
 * with a message saying which text and what to do.
 */
export function predictRequestParser(limits: ServeLimits): (raw: string) => PredictRequest {
  const schema = predictRequestSchema(limits);
  return (raw) => {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      throw new HttpError(400, 'invalid_json', `request body is not valid JSON: ${(e as Error).message}`, {
        hint: 'send {"texts": ["..."]} with Content-Type: application/json',
      });
    }
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data;
    throw issueError(parsed.error.issues[0], json, limits);
  };
}

function issueError(issue: z.core.$ZodIssue, json: unknown, limits: ServeLimits): HttpError {
  const where = issue.path.length ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)) : [];
  const field = where.join('').replace(/^\./, '') || 'body';
  if (issue.code === 'too_big' && issue.path.length === 1 && issue.path[0] === 'texts') {
    const n = (json as { texts: unknown[] }).texts.length;
    return new HttpError(413, 'batch_too_large', `batch of ${n} texts is over the limit of ${limits.maxBatch}`, {
      hint: `split it into batches of at most ${limits.maxBatch} texts`,
    });
  }
  if (issue.code === 'too_big' && issue.path.length === 2 && issue.path[0] === 'texts') {
    const i = issue.path[1] as number;
    const n = ((json as { texts: string[] }).texts[i] ?? '').length;
    return new HttpError(
      413,
      'text_too_long',
      `${field} is ${n} characters, over the limit of ${limits.maxTextChars}`,
      { hint: `truncate texts to at most ${limits.maxTextChars} characters` },
    );
  }
  return new HttpError(400, 'invalid_request', `${field}: ${issue.message}`, {
    hint: 'the body must be {"texts": [string, ...], "top_k"?: integer}; see GET /openapi.json',
  });
}
