import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { ConfigError } from '../../errors.js';
import { createStudio, type Studio } from './app.js';
import { loadAssets, type Assets } from './assets.js';
import { isLoopback } from './guard.js';

export interface StartStudioOptions {
  runsDir: string;
  cachePath: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  token?: string;
}

export interface RunningStudio {
  studio: Studio;
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Binds the studio. Off loopback it refuses to start without a token. */
export async function startStudio(o: StartStudioOptions): Promise<RunningStudio> {
  if (!isLoopback(o.host) && !o.token)
    throw new ConfigError(`the studio may listen on ${o.host} only with a token: it can start paid runs`, {
      hint: 'set APPRENTICE_STUDIO_TOKEN to a long random string, or keep the default --host 127.0.0.1',
    });
  // Built before the server listens, so a broken front end fails the start, not a page.
  const assets: Assets = await loadAssets();
  let port = o.port;
  const studio = createStudio({
    runsDir: o.runsDir,
    cachePath: o.cachePath,
    token: o.token,
    // On loopback, a page on a rebound DNS name must not reach the studio: only loopback names pass.
    allowHost: isLoopback(o.host)
      ? (h) => {
          const name = h.replace(/:\d+$/, '');
          return isLoopback(name) && (h === name || h.endsWith(`:${port}`));
        }
      : undefined,
    assets: async () => assets,
  });
  const server: ServerType = await new Promise((res, rej) => {
    const s = serve({ fetch: studio.app.fetch, hostname: o.host, port: o.port }, () => res(s));
    s.once('error', rej);
  });
  port = (server.address() as AddressInfo).port;
  const shown = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    studio,
    port,
    url: `http://${shown}:${port}/`,
    async close() {
      await studio.close();
      await new Promise<void>((r) => {
        server.close(() => r());
        // SSE streams hold connections open; end them so close returns.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
    },
  };
}
