import { z } from 'zod';
import { MAX_TOP_K, type ServeLimits } from './limits.js';

/**
 * The wire format, in one place: the same schemas validate requests and generate /openapi.json, so
 * the documented limits are the enforced ones.
 */
export function predictRequestSchema(limits: ServeLimits) {
  return z
    .object({
      texts: z
        .array(z.string().max(limits.maxTextChars).describe('A text to classify.'))
        .min(1)
        .max(limits.maxBatch)
        .describe('The batch: one prediction is returned per text, in the same order.'),
      top_k: z
        .int()
        .min(1)
        .max(MAX_TOP_K)
        .optional()
        .describe(
          'How many scores to return per text, highest first (default 5; more than the label count returns all).',
        ),
    })
    .strict();
}

export type PredictRequest = z.infer<ReturnType<typeof predictRequestSchema>>;

export const ScoreSchema = z.object({ label: z.string(), score: z.number() });

export const PredictionSchema = z.object({
  labels: z
    .array(z.string())
    .describe('The decision: the top label (single-label), or every label over its threshold (multi-label).'),
  scores: z.array(ScoreSchema).describe('Calibrated probabilities, highest first, as the Hugging Face pipeline.'),
});

export const PredictResponseSchema = z.object({ predictions: z.array(PredictionSchema) });
export type PredictResponse = z.infer<typeof PredictResponseSchema>;

export const ModelInfoSchema = z.object({
  name: z.string(),
  kind: z.string(),
  labels: z.array(z.string()),
  multi_label: z.boolean(),
  sha256: z.string().describe('Of the model file being served; changes when a replacement is loaded.'),
  bytes: z.int(),
  loaded_at: z.string().describe('ISO 8601 time the served model was loaded.'),
  reload_error: z
    .string()
    .optional()
    .describe('Why the latest replacement on disk was refused (the previous model keeps serving).'),
});
export type ModelInfo = z.infer<typeof ModelInfoSchema>;

export const ModelListSchema = z.object({ models: z.array(ModelInfoSchema) });

export const ErrorSchema = z.object({
  error: z.object({
    code: z.string().describe('Stable machine-readable code, e.g. `batch_too_large`.'),
    message: z.string(),
    hint: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorSchema>;

export const HealthSchema = z.object({
  status: z.enum(['ok', 'draining']),
  models: z.array(z.string()).optional(),
});
