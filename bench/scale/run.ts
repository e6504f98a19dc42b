/**
 * Scale bench: for each pool size, writes a generated task to a temp directory (generate.ts), runs
 * `apprentice distill` on it under /usr/bin/time -v with the default Node heap, and reports peak
 * resident memory, wall time, time from process start to the first teacher answer, and each
 * round's time. Generated data stays in the temp directory (removed unless --keep).
 *
 *   node --import tsx bench/scale/run.ts 10000 100000 1000000 [--keep]
 *   node --import tsx bench/scale/run.ts --in <dir written by generate.ts> [N]   (measures it; never deletes it)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '../..');

interface Figures {
  n: number;
  peakRssMB: number;
  wallS: number;
  firstAnswerS: number;
  roundsS: number[];
  accuracy?: number;
  answers?: number;
  /** 1-minute load average when the run started and when it ended: the machine is shared. */
  load: [number, number];
}

function measure(n: number, keep: boolean, given?: string): Figures {
  const dir = given ?? mkdtempSync(join(tmpdir(), `apprentice-scale-${n}-`));
  try {
    if (!given) {
      const gen = spawnSync('node', ['--import', 'tsx', join(repo, 'bench/scale/generate.ts'), dir, String(n)], {
        cwd: repo,
        stdio: 'inherit',
      });
      if (gen.status !== 0) throw new Error(`generate failed for ${n}`);
    }
    rmSync(join(dir, 'run'), { recursive: true, force: true });
    rmSync(join(dir, 'cache.sqlite'), { force: true });
    const loadAtStart = loadavg()[0];
    const started = Date.now();
    const run = spawnSync(
      '/usr/bin/time',
      [
        '-v',
        'node',
        join(repo, 'bin/apprentice.mjs'),
        'distill',
        'task.yaml',
        '--out',
        'run',
        '--cache',
        'cache.sqlite',
        '--quiet',
        '--yes',
      ],
      { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 26 },
    );
    const time = run.stderr;
    if (run.status !== 0) throw new Error(`distill failed for ${n}:\n${time.slice(-3000)}`);
    const rssKB = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(time)?.[1]);
    const events = readFileSync(join(dir, 'run/events.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { type: string; ts: string; round?: number });
    const at = (e: { ts: string }) => Date.parse(e.ts);
    const firstAnswer = events.find((e) => e.type === 'teacher-call-end');
    const starts = new Map(events.filter((e) => e.type === 'round-start').map((e) => [e.round, at(e)]));
    const roundsS = events
      .filter((e) => e.type === 'round-end')
      .map((e) => (at(e) - (starts.get(e.round) ?? at(e))) / 1000);
    const summary = JSON.parse(readFileSync(join(dir, 'run/summary.json'), 'utf8'));
    return {
      n,
      peakRssMB: Math.round(rssKB / 1024),
      wallS: (Date.now() - started) / 1000,
      firstAnswerS: firstAnswer ? (at(firstAnswer) - started) / 1000 : Number.NaN,
      roundsS,
      accuracy: summary.final?.accuracy,
      answers: summary.teacher?.answers,
      load: [loadAtStart, loadavg()[0]].map((l) => Math.round(l * 10) / 10) as [number, number],
    };
  } finally {
    if (given) {
      // A directory given is the caller's: left as it is.
    } else if (!keep) rmSync(dir, { recursive: true, force: true });
    else process.stderr.write(`kept ${dir}\n`);
  }
}

const args = process.argv.slice(2);
const keep = args.includes('--keep');
const inAt = args.indexOf('--in');
const given = inAt >= 0 ? resolve(args[inAt + 1]) : undefined;
const sizes = args
  .filter((a, i) => a !== '--keep' && i !== inAt && i !== inAt + 1)
  .map((a) => Number(a.replace(/_/g, '')));
if (given) process.stdout.write(`${JSON.stringify(measure(sizes[0] ?? Number.NaN, keep, given))}\n`);
else
  for (const n of sizes.length > 0 ? sizes : [10_000, 100_000]) {
    const f = measure(n, keep);
    process.stdout.write(`${JSON.stringify(f)}\n`);
  }
