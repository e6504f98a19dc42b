import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { bearerMatches, isLoopback, serveToken } from './auth.js';

const TOKEN = 'f00dfeedf00dfeedf00dfeed';

describe('auth', () => {
  it('tells loopback from reachable addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopback(h)).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', 'example.com']) expect(isLoopback(h)).toBe(false);
  });

  it('demands a token off loopback, and a long one, without echoing it', () => {
    expect(serveToken('127.0.0.1', {})).toBeUndefined();
    expect(() => serveToken('0.0.0.0', {})).toThrow(ConfigError);
    expect(serveToken('0.0.0.0', { APPRENTICE_SERVE_TOKEN: TOKEN })).toBe(TOKEN);
    try {
      serveToken('0.0.0.0', { APPRENTICE_SERVE_TOKEN: 'short-secret' });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toMatch(/at least 16/);
      expect(`${(e as Error).message} ${(e as ConfigError).hint}`).not.toContain('short-secret');
    }
  });

  it('matches only the exact bearer token', () => {
    expect(bearerMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`bearer  ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`Bearer ${TOKEN}x`, TOKEN)).toBe(false);
    expect(bearerMatches(TOKEN, TOKEN)).toBe(false);
    expect(bearerMatches(undefined, TOKEN)).toBe(false);
    expect(bearerMatches(`Basic ${TOKEN}`, TOKEN)).toBe(false);
  });
});
