import type { MetricsSnapshot } from './metrics.js';

/**
 * Messages between the cluster primary and its workers. Tagged with `apprentice` so that they can
 * share the IPC channel with anything else (cluster's own internal messages pass through too).
 */
export type ClusterMessage =
  | { apprentice: 'listening'; url: string }
  | { apprentice: 'fatal'; exitCode: number }
  | { apprentice: 'shutdown'; timeoutMs: number }
  /** worker → primary: a client asked this worker for /metrics. */
  | { apprentice: 'metrics-request'; id: number }
  /** primary → every worker: send your figures. */
  | { apprentice: 'metrics-collect'; id: number }
  | { apprentice: 'metrics-snapshot'; id: number; snapshot: MetricsSnapshot }
  /** primary → the asking worker: everyone's figures, summed. */
  | { apprentice: 'metrics-result'; id: number; snapshot: MetricsSnapshot };

export function isClusterMessage(m: unknown): m is ClusterMessage {
  return typeof m === 'object' && m !== null && typeof (m as { apprentice?: unknown }).apprentice === 'string';
}
