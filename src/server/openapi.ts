import { z } from 'zod';
import type { ServeLimits } from './limits.js';
import {
  ErrorSchema,
  HealthSchema,
  ModelInfoSchema,
  ModelListSchema,
  PredictResponseSchema,
  predictRequestSchema,
} from './schemas.js';

/** A zod schema as an OpenAPI 3.1 schema object (JSON Schema 2020-12, without its own `$schema`). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io }) as Record<string, unknown>;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string, description: string) => ({
  description,
  content: { 'application/json': { schema: ref(name) } },
});
const errors = (...codes: [number, string][]) =>
  Object.fromEntries(codes.map(([status, description]) => [String(status), json('Error', description)]));

/**
 * The OpenAPI document for /openapi.json, generated from the zod schemas that validate requests
 * (with this server's limits in them), so it cannot drift from what the server enforces.
 */
export function openApiDocument(options: { limits: ServeLimits; auth: boolean; version: string }): object {
  const { limits, auth } = options;
  const name = {
    name: 'name',
    in: 'path',
    required: true,
    description: 'Model name, as listed by GET /v1/models.',
    schema: { type: 'string' },
  };
  const authErrors: [number, string][] = auth ? [[401, 'Missing or wrong bearer token.']] : [];
  return {
    openapi: '3.1.0',
    info: {
      title: 'Apprentice student server',
      version: options.version,
      description: `Text classification and extraction (entity spans) with Apprentice students. Limits: body ≤ ${limits.maxBodyBytes} bytes, ≤ ${limits.maxBatch} texts per request, ≤ ${limits.maxTextChars} characters per text.`,
    },
    ...(auth ? { security: [{ bearer: [] }] } : {}),
    paths: {
      '/v1/models': {
        get: {
          summary: 'List the served models',
          responses: { 200: json('ModelList', 'The models.'), ...errors(...authErrors) },
        },
      },
      '/v1/models/{name}': {
        get: {
          summary: 'Describe one model',
          parameters: [name],
          responses: { 200: json('ModelInfo', 'The model.'), ...errors(...authErrors, [404, 'No such model.']) },
        },
      },
      '/v1/models/{name}/predict': {
        post: {
          summary: 'Classify a batch of texts',
          parameters: [name],
          requestBody: { required: true, content: { 'application/json': { schema: ref('PredictRequest') } } },
          responses: {
            200: json('PredictResponse', 'One prediction per text, in order.'),
            ...errors(
              [400, 'Body is not JSON or not of the request schema (`invalid_json`, `invalid_request`).'],
              ...authErrors,
              [404, 'No such model (`model_not_found`).'],
              [413, 'Over a limit (`body_too_large`, `batch_too_large`, `text_too_long`).'],
              [415, 'Content-Type is not application/json (`unsupported_media_type`).'],
              [503, 'The server is shutting down (`draining`).'],
            ),
          },
        },
      },
      '/healthz': {
        get: { summary: 'Liveness: the process answers', security: [], responses: { 200: json('Health', 'Alive.') } },
      },
      '/readyz': {
        get: {
          summary: 'Readiness: models loaded and not shutting down',
          security: [],
          responses: { 200: json('Health', 'Ready.'), 503: json('Health', 'Draining: stop sending traffic here.') },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics (text exposition format 0.0.4), summed over all workers',
          responses: {
            200: { description: 'Metrics.', content: { 'text/plain': { schema: { type: 'string' } } } },
            ...errors(...authErrors),
          },
        },
      },
      '/openapi.json': {
        get: {
          summary: 'This document',
          responses: { 200: { description: 'OpenAPI 3.1 document.' }, ...errors(...authErrors) },
        },
      },
    },
    components: {
      schemas: {
        PredictRequest: jsonSchema(predictRequestSchema(limits), 'input'),
        PredictResponse: jsonSchema(PredictResponseSchema, 'output'),
        ModelInfo: jsonSchema(ModelInfoSchema, 'output'),
        ModelList: jsonSchema(ModelListSchema, 'output'),
        Health: jsonSchema(HealthSchema, 'output'),
        Error: jsonSchema(ErrorSchema, 'output'),
      },
      ...(auth ? { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } } : {}),
    },
  };
}
