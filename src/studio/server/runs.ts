import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RUN_FILES, readRunStatus, type RunInfo } from '../../run/run-files.js';
import { isAlive } from '../../run/run-dir.js';
import type { DistillSummary } from '../../run/types.js';
import { isExtractSummary, type RunSummary } from '../../run/task-kinds.js';
import type { ExtractDistillSummary } from '../../report/extract/types.js';
import type { ApprenticeEvent } from '../../events.js';

/** A run directory's name under the runs root: what URLs carry. Never a path. */
const RUN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;

/**
 * One point of a learning curve, from eval-end events (live) or summary rounds (finished). A
 * classification run's points carry accuracy and macro-F1; an extraction run's carry span F1
 * (micro, exact span and type): different measures, never put in each other's field.
 */
export interface CurvePoint {
  round: number;
  answers: number;
  dollars: number;
  accuracy?: number;
  macroF1?: number;
  f1?: number;
}

export interface RunListItem {
  name: string;
  runId: string;
  task: string;
  /** `stale`: run.json says running but its writer is gone (killed). */
  status: RunInfo['status'] | 'stale';
  startedAt: string;
  endedAt?: string;
  stopReason?: string;
  /** The task kind (task.json): what the run's scores measure. */
  kind: 'classify' | 'extract';
  /** Classification runs. */
  accuracy?: number;
  /** Extraction runs: span F1 (micro, exact) on the final split. */
  f1?: number;
  answers: number;
  dollars: number;
  rounds: number;
  curve: CurvePoint[];
  /** For a retrained run (`apprentice retrain`, "Retrain now"): the run whose rows it was trained on. */
  retrainOf?: string;
}

export function isRunName(name: string): boolean {
  return RUN_NAME.test(name) && name !== '.' && name !== '..';
}

/** The run directory for a URL name, or undefined when the name is unsafe or holds no run. */
export function runDirOf(root: string, name: string): string | undefined {
  if (!isRunName(name)) return undefined;
  const dir = join(resolve(root), name);
  return readRunStatus(dir) ? dir : undefined;
}

export function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Every line of events.jsonl that parses; a half-written last line is left for the next read. */
export function readEvents(dir: string): ApprenticeEvent[] {
  let text: string;
  try {
    text = readFileSync(join(dir, RUN_FILES.events), 'utf8');
  } catch {
    return [];
  }
  const out: ApprenticeEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      out.push(JSON.parse(line) as ApprenticeEvent);
    } catch {
      // a line still being written
    }
  }
  return out;
}

/** The curve as the events tell it: one point per evaluation, gold when the run has gold scores. */
export function curveFromEvents(events: readonly ApprenticeEvent[]): CurvePoint[] {
  const evals = events.filter((e) => e.type === 'eval-end');
  const gold = evals.some((e) => e.split === 'gold');
  return evals
    .filter((e) => e.split === (gold ? 'gold' : 'validation'))
    .map((e) => ({ round: e.round, answers: e.answers, dollars: e.dollars, accuracy: e.accuracy, macroF1: e.macroF1 }));
}

/** An extraction run's curve: span F1 on gold when every round has it, else on validation. */
export function curveFromExtractSummary(summary: ExtractDistillSummary): CurvePoint[] {
  const gold = summary.curve.length > 0 && summary.curve.every((p) => p.goldF1 !== undefined);
  return summary.curve.map((p) => ({
    round: p.round,
    answers: p.answers,
    dollars: p.dollars,
    f1: gold ? p.goldF1! : p.validationF1,
  }));
}

/** A run's task kind, from task.json (written first, so a running run has it too). */
export function runKind(dir: string): RunListItem['kind'] {
  return readJson<{ kind?: string }>(join(dir, RUN_FILES.task))?.kind === 'extract' ? 'extract' : 'classify';
}

export function curveFromSummary(summary: DistillSummary): CurvePoint[] {
  const gold = summary.rounds.length > 0 && summary.rounds.every((r) => r.gold);
  return summary.rounds.map((r) => {
    const m = gold ? r.gold! : r.validation;
    return { round: r.round, answers: r.answers, dollars: r.dollars, accuracy: m.accuracy, macroF1: m.macroF1 };
  });
}

export function runItem(root: string, name: string): RunListItem | undefined {
  const dir = join(resolve(root), name);
  const info = readRunStatus(dir);
  if (!info) return undefined;
  const kind = runKind(dir);
  const read = info.status === 'complete' ? readJson<RunSummary>(join(dir, RUN_FILES.summary)) : undefined;
  const extract = read && isExtractSummary(read) ? read : undefined;
  const summary = read && !isExtractSummary(read) ? read : undefined;
  const curve = extract
    ? curveFromExtractSummary(extract)
    : summary
      ? curveFromSummary(summary)
      : curveFromEvents(readEvents(dir));
  const last = curve.at(-1);
  const spent = extract ?? summary;
  const status = info.status === 'running' && !isAlive(info.pid) ? 'stale' : info.status;
  return {
    name,
    runId: info.runId,
    task: info.task,
    status,
    startedAt: info.startedAt,
    ...(info.endedAt ? { endedAt: info.endedAt } : {}),
    ...(info.stopReason ? { stopReason: info.stopReason } : {}),
    kind,
    ...(kind === 'extract'
      ? { f1: extract ? extract.f1 : last?.f1 }
      : { accuracy: summary ? summary.final.accuracy : last?.accuracy }),
    answers: spent ? spent.teacher.answers : (last?.answers ?? 0),
    dollars: spent ? spent.teacher.dollars : (last?.dollars ?? 0),
    rounds: curve.length,
    curve,
    ...(spent?.retrain ? { retrainOf: spent.retrain.of } : {}),
  };
}

/** Runs under `root`, newest first. Directories without run.json (the studio's own .studio) are skipped. */
export function listRuns(root: string): RunListItem[] {
  const abs = resolve(root);
  if (!existsSync(abs)) return [];
  const out: RunListItem[] = [];
  for (const name of readdirSync(abs)) {
    if (!isRunName(name)) continue;
    try {
      if (!statSync(join(abs, name)).isDirectory()) continue;
    } catch {
      continue;
    }
    const item = runItem(abs, name);
    if (item) out.push(item);
  }
  return out.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}
