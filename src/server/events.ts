/**
 * What the server reports. Like the rest of the library it never prints: the CLI renders these as
 * log lines. No event carries request headers, so a bearer token cannot reach the logs this way.
 */
export type ServeEvent =
  | { type: 'listening'; url: string; workers: number; models: string[]; auth: boolean }
  | { type: 'model-reloaded'; model: string; sha256: string; worker?: number }
  | { type: 'model-reload-refused'; model: string; reason: string; worker?: number }
  | { type: 'request-failed'; route: string; model: string; message: string; worker?: number }
  | { type: 'draining'; reason: string; worker?: number }
  | { type: 'worker-exited'; worker: number; code: number | null; signal: string | null; restarting: boolean }
  | { type: 'stopped'; ms: number };

export type ServeListener = (event: ServeEvent) => void;
