import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from './datasets.js';

/**
 * Files the bench itself writes: a run that changes them is not "dirty" because of it. That includes
 * bench/results itself, which a second checkout may link to the first's so both runs merge into one file.
 */
const OUTPUTS = ['bench/results/', 'docs/benchmarks.md'];

/** HEAD's commit, with `-dirty` when tracked or untracked files other than the bench's own outputs differ from it. */
export function gitCommit(cwd = REPO_ROOT): string {
  const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8' });
  if (head.status !== 0) return 'unknown (not a git checkout)';
  const status = spawnSync('git', ['status', '--porcelain'], { cwd, encoding: 'utf8' });
  const dirty = status.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(3))
    .some((path) => !OUTPUTS.some((o) => path.startsWith(o) || `${path}/` === o));
  return `${head.stdout.trim()}${dirty ? '-dirty' : ''}`;
}

/** The command as a user would type it, with the environment variables that change what it measures. */
export function commandLine(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  const vars = ['APPRENTICE_DATASETS', 'BENCH_CORE']
    .filter((v) => env[v])
    .map((v) => `${v}=${env[v]} `)
    .join('');
  const viaNpm = env.npm_lifecycle_event === 'bench';
  const args = argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
  return `${vars}${viaNpm ? 'npm run bench' : 'node --import tsx bench/run.ts'}${args ? (viaNpm ? ` -- ${args}` : ` ${args}`) : ''}`;
}
