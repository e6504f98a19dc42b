import type { ServeEvent } from './events.js';

/** One log line per server event: a readable sentence, or the event as JSON for log shippers. */
export function logLine(event: ServeEvent, format: 'text' | 'json', now = new Date()): string {
  if (format === 'json') return `${JSON.stringify({ time: now.toISOString(), ...event })}\n`;
  const who = 'worker' in event && event.worker !== undefined ? ` [worker ${event.worker}]` : '';
  return `${now.toISOString()}${who} ${sentence(event)}\n`;
}

function sentence(e: ServeEvent): string {
  switch (e.type) {
    case 'listening':
      return `listening on ${e.url} (${e.workers} worker${e.workers === 1 ? '' : 's'}; models: ${e.models.join(', ')}${e.auth ? '; bearer token required' : ''})`;
    case 'model-reloaded':
      return `model ${e.model}: loaded the replacement on disk (sha256 ${e.sha256.slice(0, 12)})`;
    case 'model-reload-refused':
      return `model ${e.model}: refused the replacement on disk, still serving the previous model: ${e.reason}`;
    case 'request-failed':
      return `internal error on ${e.route}${e.model ? ` (model ${e.model})` : ''}: ${e.message}`;
    case 'draining':
      return `draining (${e.reason}): finishing requests in flight`;
    case 'worker-exited':
      return `worker ${e.worker} exited (${e.signal ?? `code ${e.code}`})${e.restarting ? '; starting another' : ''}`;
    case 'stopped':
      return `stopped after ${Math.round(e.ms / 1000)} s`;
  }
}
