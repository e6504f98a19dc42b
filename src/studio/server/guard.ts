import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';

export const TOKEN_ENV = 'APPRENTICE_STUDIO_TOKEN';
export const TOKEN_COOKIE = 'apprentice_studio_token';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host);
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * With a token (required off loopback), every request must carry it: as `Authorization: Bearer`,
 * as the cookie set when the page was first opened with `?token=`, or as that query parameter.
 */
export function requireToken(token: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (!token) return next();
    const bearer = c.req.header('authorization')?.replace(/^Bearer\s+/i, '');
    const given = bearer ?? getCookie(c, TOKEN_COOKIE) ?? c.req.query('token');
    if (!given || !sameSecret(given, token)) return c.json({ error: 'missing or wrong studio token' }, 401);
    if (c.req.query('token')) {
      c.header('Set-Cookie', `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`);
    }
    return next();
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Requests that change state (start a paid run, store a correction) must come from the studio's
 * own pages. A browser always sends Origin on cross-origin POSTs and Sec-Fetch-Site on modern
 * engines; either naming another site is refused. A request with neither is not from a browser
 * page (curl, a test), which cannot be a CSRF.
 */
export function sameOriginWrites(): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const site = c.req.header('sec-fetch-site');
    if (site && site !== 'same-origin' && site !== 'none')
      return c.json({ error: `refused: a ${site} request may not change studio state` }, 403);
    const origin = c.req.header('origin');
    if (origin !== undefined) {
      const host = c.req.header('host');
      let originHost: string | undefined;
      try {
        originHost = new URL(origin).host;
      } catch {
        originHost = undefined;
      }
      if (!host || originHost !== host)
        return c.json({ error: `refused: origin ${origin} may not change studio state` }, 403);
    }
    return next();
  };
}

/** Refuses Host headers other than the bound address: DNS rebinding would otherwise reach a loopback studio. */
export function hostCheck(allowed: (host: string) => boolean): MiddlewareHandler {
  return async (c, next) => {
    const host = c.req.header('host') ?? '';
    if (!allowed(host)) return c.json({ error: `refused: unexpected Host ${host}` }, 403);
    return next();
  };
}
