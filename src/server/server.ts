import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { ConfigError } from '../errors.js';
import { createApp } from './app.js';
import type { ServeListener } from './events.js';
import { DEFAULT_LIMITS, type ServeLimits } from './limits.js';
import { Metrics, type MetricsSnapshot } from './metrics.js';
import { ModelSet } from './model-set.js';
import { openApiDocument } from './openapi.js';

export interface ServeOptions {
  models: readonly { name: string; file: string }[];
  host: string;
  /** 0 picks a free port (see `RunningServer.port`). */
  port: number;
  limits?: Partial<ServeLimits>;
  /** Bearer token clients must send; see auth.ts for when one is required. */
  token?: string;
  /** How often model files are checked for replacement. Default 1000 ms. */
  reloadIntervalMs?: number;
  onEvent?: ServeListener;
  /** Cluster worker id, for events. */
  worker?: number;
  /** Cluster workers: turns this process's snapshot into every worker's, summed. */
  collectMetrics?: (local: () => MetricsSnapshot) => Promise<MetricsSnapshot>;
  version?: string;
  /** Connection deadlines in ms; tests shorten them. */
  timeouts?: Partial<typeof TIMEOUTS>;
}

export interface RunningServer {
  url: string;
  port: number;
  metrics: Metrics;
  /** This process's figures, gauges refreshed. */
  localMetrics(): MetricsSnapshot;
  /**
   * Graceful stop: /readyz turns 503, no new connections are accepted, requests in flight finish
   * (answers then carry `Connection: close`), idle keep-alive connections are closed. After
   * `timeoutMs` the connections still open are cut.
   */
  close(timeoutMs?: number): Promise<void>;
}

/**
 * Slow or stalled clients cannot hold a connection for long (slowloris): headers, then the whole
 * request, are timed. Node checks those deadlines every `connectionsCheckingInterval` (30 s by
 * default, which would triple the headers deadline), hence the shorter interval.
 */
export const TIMEOUTS = {
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 5_000,
  connectionsCheckingInterval: 1_000,
};

/** Starts one HTTP server in this process. Models load first: a bad model fails here, before listening. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const models = new ModelSet(options.models);
  const metrics = new Metrics();
  let draining = false;

  const localMetrics = () => {
    metrics.clear('apprentice_model_info');
    for (const m of models.list())
      metrics.set('apprentice_model_info', { model: m.name, kind: m.kind, sha256: m.sha256 }, 1);
    metrics.set('apprentice_workers', {}, 1);
    return metrics.snapshot();
  };
  const app = createApp({
    models,
    limits,
    token: options.token,
    metrics,
    collectMetrics: options.collectMetrics ? () => options.collectMetrics!(localMetrics) : async () => localMetrics(),
    isDraining: () => draining,
    openapi: openApiDocument({ limits, auth: Boolean(options.token), version: options.version ?? '0.0.0' }),
    onEvent: options.onEvent,
    worker: options.worker,
  });

  const stopWatching = models.watch(options.reloadIntervalMs ?? 1000, (model, change) => {
    metrics.inc('apprentice_model_reloads_total', {
      model,
      result: change.result === 'reloaded' ? 'loaded' : 'refused',
    });
    if (change.result === 'reloaded')
      options.onEvent?.({ type: 'model-reloaded', model, sha256: change.sha256, worker: options.worker });
    else options.onEvent?.({ type: 'model-reload-refused', model, reason: change.reason, worker: options.worker });
  });

  const server = createAdaptorServer({
    fetch: app.fetch,
    serverOptions: { ...TIMEOUTS, ...options.timeouts },
  }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      stopWatching();
      if (e.code === 'EADDRINUSE' || e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL')
        reject(
          new ConfigError(`cannot listen on ${options.host}:${options.port}: ${e.code}`, {
            field: '--port',
            hint:
              e.code === 'EADDRINUSE'
                ? 'another process uses that port; pick another --port'
                : 'check --host and --port',
            cause: e,
          }),
        );
      else reject(e);
    });
    server.listen({ port: options.port, host: options.host }, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    metrics,
    localMetrics,
    close(timeoutMs = 30_000) {
      closing ??= new Promise<void>((resolve) => {
        draining = true;
        stopWatching();
        const force = setTimeout(() => server.closeAllConnections(), timeoutMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
