import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { TIME_BIN } from './setup.js';

export interface ProcResult {
  stdout: string;
  stderr: string;
  wallSeconds: number;
  /** Peak resident set of the command, from `/usr/bin/time -v` (whole process); null when not wrapped. */
  peakMB: number | null;
  /** Seconds from spawn to the first stderr chunk matching `markStderr`, if asked and seen. */
  markSeconds: number | null;
}

export interface ProcOptions {
  /** Wrap in `/usr/bin/time -v` to read the command's max RSS. */
  measureMemory?: boolean;
  /** Timestamp the first moment stderr matches this (a progress line that ends a phase). */
  markStderr?: RegExp;
  env?: NodeJS.ProcessEnv;
  stdin?: string;
  /** Run under `taskset -c <core>` so the whole process, every thread of it, gets one core. */
  pin?: boolean;
}

/** The core measured processes are pinned to: BENCH_CORE, else the last one (the first tends to take interrupts). */
export function benchCore(): number {
  const v = process.env.BENCH_CORE;
  if (v !== undefined && v !== '') {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n >= cpus().length)
      throw new Error(`BENCH_CORE=${v} is not a core of this machine (0–${cpus().length - 1})`);
    return n;
  }
  return cpus().length - 1;
}

/** The command line with the wrappers the options ask for: taskset outside, GNU time inside (time's child inherits the pin). */
export function wrapCommand(
  cmd: string,
  args: string[],
  o: { pin?: boolean; timeReport?: string },
  core = 0,
): [string, string[]] {
  let out: [string, string[]] = [cmd, args];
  if (o.timeReport) out = [TIME_BIN, ['-v', '-o', o.timeReport, out[0], ...out[1]]];
  if (o.pin) out = ['taskset', ['-c', `${core}`, out[0], ...out[1]]];
  return out;
}

/** Runs one command to completion; rejects on a non-zero exit with its stderr tail. */
export function runProc(cmd: string, args: string[], options: ProcOptions = {}): Promise<ProcResult> {
  // The time report goes to its own file so it never mixes with the command's stderr.
  const reportDir = options.measureMemory ? mkdtempSync(join(tmpdir(), 'bench-time-')) : null;
  const report = reportDir ? join(reportDir, 'time.txt') : '';
  const [bin, argv] = wrapCommand(
    cmd,
    args,
    { pin: options.pin, timeReport: reportDir ? report : undefined },
    options.pin ? benchCore() : 0,
  );
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(bin, argv, { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let markSeconds: number | null = null;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      // Only the recent tail: fastText's progress output is long and rewritten with \r.
      if (markSeconds === null && options.markStderr?.test(stderr.slice(-4096))) markSeconds = elapsed(start);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const wallSeconds = elapsed(start);
      const peakMB = reportDir && existsSync(report) ? maxRssMB(readFileSync(report, 'utf8')) : null;
      if (reportDir) rmSync(reportDir, { recursive: true, force: true });
      if (code !== 0) return reject(new Error(`${cmd} exited with ${code}: ${stderr.slice(-2000)}`));
      resolve({ stdout, stderr, wallSeconds, peakMB, markSeconds });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

function elapsed(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function maxRssMB(report: string): number | null {
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(report);
  return m ? Number(m[1]) / 1024 : null;
}
