import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** scikit-learn comes from Debian, which installs it for the system interpreter only (pyenv's `python3` lacks it). */
export const SYSTEM_PYTHON = '/usr/bin/python3';
export const TIME_BIN = '/usr/bin/time';

const importsSklearn = (python: string) =>
  spawnSync(python, ['-c', 'import sklearn'], { stdio: 'ignore' }).status === 0;

let foundPython: string | null | undefined;

/**
 * The first interpreter that imports scikit-learn: BENCH_PYTHON if set, then /usr/bin/python3 (where
 * Debian's python3-sklearn installs it), then `python3` on PATH (often a pyenv shim without it).
 */
export function findPython(): string | null {
  if (foundPython !== undefined) return foundPython;
  const candidates = [process.env.BENCH_PYTHON, SYSTEM_PYTHON, 'python3'].filter((c): c is string => !!c);
  foundPython = candidates.find(importsSklearn) ?? null;
  return foundPython;
}

/** The scikit-learn interpreter, or an error that says loudly which ones were tried. */
export function requirePython(): string {
  const p = findPython();
  if (p) return p;
  throw new Error(
    `no Python interpreter imports scikit-learn (tried ${process.env.BENCH_PYTHON ? `BENCH_PYTHON=${process.env.BENCH_PYTHON}, ` : ''}${SYSTEM_PYTHON}, python3 on PATH): install the Debian package python3-sklearn, or set BENCH_PYTHON to an interpreter that has it`,
  );
}

interface Need {
  /** Debian package providing it. */
  pkg: string;
  present(): boolean;
}

const NEEDS: Need[] = [
  { pkg: 'fasttext', present: () => spawnSync('fasttext', [], { stdio: 'ignore' }).error === undefined },
  {
    pkg: 'python3-sklearn',
    present: () => {
      foundPython = undefined;
      return findPython() !== null;
    },
  },
  { pkg: 'time', present: () => existsSync(TIME_BIN) },
  // taskset pins every measured process to one core.
  { pkg: 'util-linux', present: () => spawnSync('taskset', ['-V'], { stdio: 'ignore' }).error === undefined },
];

/**
 * Installs the peers with apt when missing. Says what it installs before doing it, because this
 * changes the machine (needs root).
 */
export function ensurePeers(log: (msg: string) => void): void {
  const missing = NEEDS.filter((n) => !n.present()).map((n) => n.pkg);
  if (missing.length === 0) return;
  log(`installing benchmark peers with apt (Debian packages): ${missing.join(', ')}`);
  const asRoot = process.getuid?.() === 0;
  // apt's own output goes to stderr with ours, so the user sees what is being installed.
  const apt = (args: string[]) =>
    execFileSync(asRoot ? 'apt-get' : 'sudo', asRoot ? args : ['apt-get', ...args], {
      stdio: ['ignore', process.stderr, 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  apt(['update']);
  apt(['install', '-y', '--no-install-recommends', ...missing]);
  const still = NEEDS.filter((n) => !n.present()).map((n) => n.pkg);
  if (still.length) throw new Error(`still missing after apt-get install: ${still.join(', ')}`);
}

export interface PeerVersions {
  fasttext: string | null;
  sklearn: string | null;
  python: string | null;
  node: string;
}

function firstLine(cmd: string, args: string[]): string | null {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  return (r.stdout || r.stderr).trim().split('\n')[0] || null;
}

/** The fastText CLI has no --version; Debian's package version is the reliable source. */
export function peerVersions(): PeerVersions {
  return {
    fasttext: firstLine('dpkg-query', ['-W', '-f=${Version}', 'fasttext']),
    sklearn: firstLine(findPython() ?? SYSTEM_PYTHON, ['-c', 'import sklearn; print(sklearn.__version__)']),
    python: ((p) => (p ? `${firstLine(p, ['--version'])} (${p})` : null))(findPython()),
    node: process.version,
  };
}
