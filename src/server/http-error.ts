import type { ErrorBody } from './schemas.js';

/**
 * A request the server refuses, with the status and stable `code` clients branch on. Handlers
 * throw it; the app turns it into the JSON error body (and counts it in /metrics by `code`).
 */
export class HttpError extends Error {
  readonly status: 400 | 401 | 404 | 405 | 413 | 415 | 500 | 503;
  readonly code: string;
  readonly hint?: string;
  readonly headers?: Record<string, string>;
  constructor(
    status: HttpError['status'],
    code: string,
    message: string,
    options: { hint?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.hint = options.hint;
    this.headers = options.headers;
  }

  body(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.hint ? { hint: this.hint } : {}) } };
  }
}
