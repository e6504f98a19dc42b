/**
 * Scale bench: for each pool size, writes a generated task to a temp directory (generate.ts), runs
 * `apprentice distill` on it under /usr/bin/time -v with the default Node heap, and reports peak
 * resident memory, wall time, time from process start to the first teacher answer, and each
 * round's time. Generated data stays in the temp directory (removed unless --keep).
 *
 *   node --import tsx bench/scale/run.ts 10000 100000 1000000 [--keep]
 *   node --import tsx bench/scale/run.ts --in <dir written by generate.ts> [N]   (measures it; never deletes it)
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
  /**
   * CPU seconds (user + system, all threads) the process had used at the first teacher answer, and
   * in all: on a shared machine the wall times depend on the load, these much less.
   */
  cpuFirstAnswerS?: number;
  cpuS: number;
  /** 1-minute load average when the run started and when it ended: the machine is shared. */
  load: [number, number];
}

async function measure(n: number, keep: boolean, given?: string): Promise<Figures> {
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
    const child = spawn(
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
      { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let time = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      time += d;
    });
    const events = join(dir, 'run/events.jsonl');
    let cpuFirstAnswerS: number | undefined;
    // Polled: the CPU time of the node process (the child of /usr/bin/time) once an answer is logged.
    const poll = setInterval(() => {
      if (cpuFirstAnswerS !== undefined || !existsSync(events)) return;
      if (!readFileSync(events, 'utf8').includes('"teacher-call-end"')) return;
      cpuFirstAnswerS = cpuSeconds(child.pid!);
    }, 200);
    const status = await new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    clearInterval(poll);
    if (status !== 0) throw new Error(`distill failed for ${n}:\n${time.slice(-3000)}`);
    const rssKB = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(time)?.[1]);
    const logged = readFileSync(events, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { type: string; ts: string; round?: number });
    const at = (e: { ts: string }) => Date.parse(e.ts);
    const firstAnswer = logged.find((e) => e.type === 'teacher-call-end');
    const starts = new Map(logged.filter((e) => e.type === 'round-start').map((e) => [e.round, at(e)]));
    const roundsS = logged
      .filter((e) => e.type === 'round-end')
      .map((e) => (at(e) - (starts.get(e.round) ?? at(e))) / 1000);
    const summary = JSON.parse(readFileSync(join(dir, 'run/summary.json'), 'utf8'));
    return {
      n,
      peakRssMB: Math.round(rssKB / 1024),
      wallS: (Date.now() - started) / 1000,
      firstAnswerS: firstAnswer ? (at(firstAnswer) - started) / 1000 : Number.NaN,
      roundsS,
      cpuFirstAnswerS,
      cpuS:
        Number(/User time \(seconds\): ([\d.]+)/.exec(time)?.[1]) +
        Number(/System time \(seconds\): ([\d.]+)/.exec(time)?.[1]),
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

/** User + system CPU seconds of the process /usr/bin/time (pid `timePid`) runs, from /proc. */
function cpuSeconds(timePid: number): number | undefined {
  try {
    const node = readFileSync(`/proc/${timePid}/task/${timePid}/children`, 'utf8').trim().split(/\s+/)[0];
    // Fields 14 and 15 (utime, stime) after the parenthesized command name, in clock ticks.
    const fields = readFileSync(`/proc/${node}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return undefined;
  }
}

const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

const args = process.argv.slice(2);
const keep = args.includes('--keep');
const inAt = args.indexOf('--in');
const given = inAt >= 0 ? resolve(args[inAt + 1]) : undefined;
const sizes = args
  // Without --in (inAt -1), `i !== inAt + 1` dropped the first size: `run.ts 1000000` ran the defaults.
  .filter((a, i) => a !== '--keep' && (inAt < 0 || (i !== inAt && i !== inAt + 1)))
  .map((a) => Number(a.replace(/_/g, '')));
if (given) process.stdout.write(`${JSON.stringify(await measure(sizes[0] ?? Number.NaN, keep, given))}\n`);
else
  for (const n of sizes.length > 0 ? sizes : [10_000, 100_000]) {
    const f = await measure(n, keep);
    process.stdout.write(`${JSON.stringify(f)}\n`);
  }
