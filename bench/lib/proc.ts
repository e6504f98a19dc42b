import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
}

/** Runs one command to completion; rejects on a non-zero exit with its stderr tail. */
export function runProc(cmd: string, args: string[], options: ProcOptions = {}): Promise<ProcResult> {
  // The time report goes to its own file so it never mixes with the command's stderr.
  const reportDir = options.measureMemory ? mkdtempSync(join(tmpdir(), 'bench-time-')) : null;
  const report = reportDir ? join(reportDir, 'time.txt') : '';
  const [bin, argv] = reportDir ? [TIME_BIN, ['-v', '-o', report, cmd, ...args]] : [cmd, args];
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
