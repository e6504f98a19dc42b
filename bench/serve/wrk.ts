import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Answers that were not 2xx, and socket errors: a run with any is not a valid figure. */
  non2xx: number;
  socketErrors: number;
}

/**
 * A wrk script that POSTs the given JSON bodies in turn (Lua long strings need no escaping; the
 * level is chosen so no body can close it early).
 */
export function writeWrkScript(file: string, bodies: readonly string[], headers: Record<string, string> = {}): void {
  let eq = '==';
  while (bodies.some((b) => b.includes(`]${eq}]`))) eq += '=';
  const lines = [
    'wrk.method = "POST"',
    'wrk.headers["Content-Type"] = "application/json"',
    ...Object.entries(headers).map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`),
    'local bodies = {',
    ...bodies.map((b) => `[${eq}[${b}]${eq}],`),
    '}',
    'local i = 0',
    'request = function()',
    '  i = i % #bodies + 1',
    '  return wrk.format(nil, nil, nil, bodies[i])',
    'end',
  ];
  writeFileSync(file, `${lines.join('\n')}\n`);
}

/** Runs wrk for `seconds` against `url` with the script; returns its figures. */
export function runWrk(
  url: string,
  script: string,
  o: { seconds: number; connections: number; threads: number },
): LoadResult {
  const r = spawnSync(
    'wrk',
    [`-t${o.threads}`, `-c${o.connections}`, `-d${o.seconds}s`, '--latency', '--timeout', '10s', '-s', script, url],
    { encoding: 'utf8', timeout: (o.seconds + 30) * 1000 },
  );
  if (r.status !== 0) throw new Error(`wrk failed (${r.status}): ${r.stderr || r.stdout}`);
  return parseWrk(r.stdout);
}

export function parseWrk(out: string): LoadResult {
  const num = (re: RegExp) => {
    const m = re.exec(out);
    if (!m) throw new Error(`unexpected wrk output (no ${re}):\n${out}`);
    return Number(m[1]);
  };
  const latency = (pct: string) => {
    const m = new RegExp(`^\\s+${pct}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(out);
    if (!m) throw new Error(`unexpected wrk output (no ${pct}% latency):\n${out}`);
    return Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2] as 'us' | 'ms' | 's'];
  };
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    requestsPerSecond: num(/Requests\/sec:\s+([\d.]+)/),
    p50Ms: latency('50'),
    p99Ms: latency('99'),
    requests: num(/(\d+) requests in/),
    non2xx: /Non-2xx or 3xx responses: (\d+)/.test(out) ? num(/Non-2xx or 3xx responses: (\d+)/) : 0,
    socketErrors: socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
  };
}
