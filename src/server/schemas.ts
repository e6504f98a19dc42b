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

export const SpanSchema = z.object({
  start: z.int().describe('UTF-16 offset of the first character (what JavaScript `slice` takes).'),
  end: z.int().describe('UTF-16 offset just past the last character.'),
  type: z.string().describe('Entity type or attribute name.'),
  text: z.string().describe('`text.slice(start, end)`.'),
  score: z.number().describe('Calibrated probability that exactly this span, with this type, is in the text.'),
});

export const SpanPredictionSchema = z.object({
  spans: z.array(SpanSchema).describe('The entities found, in text order (an extraction model).'),
  confidence: z.number().describe('Probability of the whole tagging: low means the model is unsure about this text.'),
});

export const PredictResponseSchema = z.object({
  predictions: z
    .array(z.union([PredictionSchema, SpanPredictionSchema]))
    .describe('Labels and scores from a classification model; spans from an extraction model (see its `task`).'),
});
export type PredictResponse = z.infer<typeof PredictResponseSchema>;

export const ModelInfoSchema = z.object({
  name: z.string(),
  kind: z.string(),
  task: z.enum(['classify', 'extract']).describe('What the model answers: labels (classify) or spans (extract).'),
  labels: z.array(z.string()).describe("A classifier's labels, or an extraction model's entity types."),
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
