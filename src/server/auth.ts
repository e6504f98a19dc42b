import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { ConfigError } from '../errors.js';

export const TOKEN_ENV = 'APPRENTICE_SERVE_TOKEN';
/** Shorter tokens can be guessed; `openssl rand -hex 32` gives 64 characters. */
export const MIN_TOKEN_CHARS = 16;

/** Whether only this machine can reach `host`: 127.0.0.0/8, ::1 or localhost. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1' || h === '::ffff:127.0.0.1';
}

/**
 * The token the server demands, from the environment: required when binding anything but loopback
 * (anyone on the network could otherwise use the models), used on loopback too when set. Errors
 * name the variable, never its value.
 */
export function serveToken(host: string, env: NodeJS.ProcessEnv): string | undefined {
  const token = env[TOKEN_ENV] || undefined;
  if (!token && !isLoopback(host))
    throw new ConfigError(`--host ${host} is reachable from other machines, and ${TOKEN_ENV} is not set`, {
      field: '--host',
      hint: `set ${TOKEN_ENV} to a secret (e.g. export ${TOKEN_ENV}=$(openssl rand -hex 32)); clients send "Authorization: Bearer <token>". Or bind 127.0.0.1`,
    });
  if (token && token.length < MIN_TOKEN_CHARS)
    throw new ConfigError(`${TOKEN_ENV} is ${token.length} characters; it must be at least ${MIN_TOKEN_CHARS}`, {
      field: TOKEN_ENV,
      hint: `use a random secret, e.g. export ${TOKEN_ENV}=$(openssl rand -hex 32)`,
    });
  return token;
}

/** Compares `Authorization: Bearer …` with the token in constant time (digests, so lengths leak nothing). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  if (!header) return false;
  const m = /^Bearer[ \t]+(.+)$/i.exec(header.trim());
  if (!m) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(m[1].trim()), digest(token));
}
