/**
 * What one request may ask of the server. Every limit is enforced before any prediction runs, so
 * the worst a single request can cost is bounded, and the same numbers appear in /openapi.json
 * (they are built into the zod schemas that validate requests).
 */
export interface ServeLimits {
  /** Largest request body, in bytes (413 `body_too_large`). */
  maxBodyBytes: number;
  /** Most texts in one predict request (413 `batch_too_large`). */
  maxBatch: number;
  /** Longest text, in characters (UTF-16 code units, as JavaScript counts them) (413 `text_too_long`). */
  maxTextChars: number;
}

export const DEFAULT_LIMITS: ServeLimits = {
  maxBodyBytes: 1024 * 1024,
  maxBatch: 256,
  maxTextChars: 10_000,
};

/** How many scores a prediction carries when the request names no `top_k` (as `apprentice predict`). */
export const DEFAULT_TOP_K = 5;
/** Label sets are small; this only keeps the integer sane in the schema. */
export const MAX_TOP_K = 10_000;
