/**
 * How every model is timed, the same way for all three (docs/benchmarks.md, "Timing"): whole
 * processes, each pinned to one core with taskset, each repeated TIMED_RUNS times, the median kept
 * and the spread recorded.
 * - Training: wall time of the training command, from spawn to exit (start-up, reading the train
 *   file, training and saving the model file all included), and its peak RSS from GNU time.
 * - Throughput: the predict command over the test texts repeated to ≥ N lines, minus the same
 *   command over one line (start-up and model load): texts/s = lines ÷ difference, per run pair.
 * - Latency (where a model has a per-call API): one text per call, in-process, after a warm-up.
 */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repeatTo } from './measure.js';
import { runProc } from './proc.js';
import { TIMED_RUNS, type Timing, timing } from './stats.js';

export interface Cmd {
  cmd: string;
  args: string[];
}

export interface ModelTiming {
  /** Whole-process training wall seconds. */
  trainSeconds: Timing;
  /** In-process training seconds as the model's own code reports it (fit call only), where it can. */
  fitSeconds: Timing | null;
  peakMB: Timing | null;
  predictPerSecond: Timing | null;
  latencyP50Micros: Timing | null;
  latencyP99Micros: Timing | null;
  method: string;
}

export const TIMING_METHOD =
  'whole process pinned to one core (taskset), median of runs; throughput = lines ÷ (predict N lines − predict 1 line)';

export interface TimedSpec {
  dir: string;
  /** Trains on the whole train split and writes the model file. */
  train: Cmd;
  /** In-process fit seconds from the training command's output, if it reports them. */
  fitSecondsOf?: (stdout: string, stderr: string) => number | null;
  /** Or: seconds from spawn to the first stderr match (fastText's last progress line, before saving). */
  markStderr?: RegExp;
  /** Predict command over a texts file (in `writeTexts` format) writing to `out` (or stdout). */
  predict: (texts: string, out: string) => Cmd;
  writeTexts: (file: string, texts: readonly string[]) => void;
  /** Per-call latency command printing {p50, p99} (µs), if the model has a per-call API. */
  latency?: (texts: string, n: number) => Cmd;
  runs?: number;
}

/** Training runs, then throughput and latency runs, all pinned, all repeated. */
export async function timeModel(
  s: TimedSpec,
  testTexts: readonly string[],
  o: { throughputLines: number; latencyTexts: number },
): Promise<ModelTiming> {
  const runs = s.runs ?? TIMED_RUNS;
  const wall: number[] = [];
  const fit: number[] = [];
  const peak: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await runProc(s.train.cmd, s.train.args, { pin: true, measureMemory: true, markStderr: s.markStderr });
    wall.push(r.wallSeconds);
    const f = s.fitSecondsOf ? s.fitSecondsOf(r.stdout, r.stderr) : r.markSeconds;
    if (f !== undefined && f !== null) fit.push(f);
    if (r.peakMB !== null) peak.push(r.peakMB);
  }

  const perSecond = await timeThroughput(s, testTexts, o.throughputLines, runs);
  let p50: Timing | null = null;
  let p99: Timing | null = null;
  if (s.latency) {
    const file = join(s.dir, 'latency.texts');
    s.writeTexts(file, testTexts);
    const got: { p50: number; p99: number }[] = [];
    for (let i = 0; i < runs; i++) {
      const c = s.latency(file, o.latencyTexts);
      const r = await runProc(c.cmd, c.args, { pin: true });
      got.push(JSON.parse(r.stdout.trim().split('\n').pop() as string) as { p50: number; p99: number });
    }
    p50 = timing(got.map((g) => g.p50));
    p99 = timing(got.map((g) => g.p99));
  }
  return {
    trainSeconds: timing(wall),
    fitSeconds: fit.length ? timing(fit) : null,
    peakMB: peak.length ? timing(peak) : null,
    predictPerSecond: perSecond,
    latencyP50Micros: p50,
    latencyP99Micros: p99,
    method: TIMING_METHOD,
  };
}

/** Predict over N lines minus predict over one line, per interleaved pair; null when no pair gave a positive difference. */
export async function timeThroughput(
  s: Pick<TimedSpec, 'dir' | 'predict' | 'writeTexts'>,
  testTexts: readonly string[],
  lines: number,
  runs = TIMED_RUNS,
  tag = '',
): Promise<Timing | null> {
  const one = join(s.dir, `one${tag}.texts`);
  const many = join(s.dir, `many${tag}.texts`);
  s.writeTexts(one, testTexts.slice(0, 1));
  const all = repeatTo(testTexts, lines);
  s.writeTexts(many, all);
  const perSecond: number[] = [];
  for (let i = 0; i < runs; i++) {
    const a = s.predict(one, join(s.dir, 'one.out'));
    const b = s.predict(many, join(s.dir, 'many.out'));
    // Interleaved, so a burst of load from other users hits both sides of a pair alike.
    const tOne = (await runProc(a.cmd, a.args, { pin: true })).wallSeconds;
    const tMany = (await runProc(b.cmd, b.args, { pin: true })).wallSeconds;
    if (tMany > tOne) perSecond.push(all.length / (tMany - tOne));
  }
  return perSecond.length ? timing(perSecond) : null;
}

/** One JSON string per line: what the student and scikit-learn predict commands read. */
export function writeJsonTexts(file: string, texts: readonly string[]): void {
  writeFileSync(file, `${texts.map((t) => JSON.stringify(t)).join('\n')}\n`);
}

export const fileBytes = (file: string) => statSync(file).size;
