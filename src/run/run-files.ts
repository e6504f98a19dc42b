import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApprenticeEvent, StopReason } from '../events.js';
import { REPORT_FILE } from '../report/write-report.js';

/**
 * Version of the run-directory format: run.json and summary.json carry it as `formatVersion`, every
 * events.jsonl line as `v`. Raised when a field changes meaning or goes away; a new optional field does
 * not raise it. Files written before versions existed have none: readers treat that as version 0 and
 * read them as before (docs/run-format.md).
 */
export const RUN_FORMAT_VERSION = 1;

/** One line of events.jsonl: the event, the format version and when it was written (ISO 8601, UTC). */
export type EventLine = { v: number; ts: string } & ApprenticeEvent;

/** File names inside a run directory, in one place so writers and readers agree. */
export const RUN_FILES = {
  run: 'run.json',
  task: 'task.json',
  student: 'model/student.bin',
  card: 'model/card.json',
  modelCardMd: 'model/MODEL_CARD.md',
  training: 'training.jsonl',
  rejected: 'rejected.jsonl',
  metrics: 'metrics.json',
  events: 'events.jsonl',
  summary: 'summary.json',
  report: REPORT_FILE,
} as const;

/** What must be on disk before a run may call itself complete (events.jsonl exists from the start). */
export const REQUIRED_FOR_COMPLETE: readonly string[] = [
  RUN_FILES.task,
  RUN_FILES.student,
  RUN_FILES.card,
  RUN_FILES.training,
  RUN_FILES.rejected,
  RUN_FILES.metrics,
  RUN_FILES.summary,
  RUN_FILES.report,
];

export type RunStatus = 'running' | 'complete' | 'failed';

/** Contents of run.json. */
export interface RunInfo {
  /** RUN_FORMAT_VERSION of the writer; absent in runs written before versions existed. */
  formatVersion?: number;
  runId: string;
  /** Task name. */
  task: string;
  status: RunStatus;
  startedAt: string;
  endedAt?: string;
  stopReason?: StopReason;
  error?: { name: string; code: string; message: string; hint?: string };
  pid: number;
}

/** run.json of `dir`, or undefined when there is none (or it is not one of ours). */
export function readRunStatus(dir: string): RunInfo | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(join(dir, RUN_FILES.run), 'utf8'));
  } catch {
    return undefined;
  }
  const info = parsed as Partial<RunInfo> | null;
  if (!info || typeof info !== 'object' || typeof info.runId !== 'string') return undefined;
  if (info.status !== 'running' && info.status !== 'complete' && info.status !== 'failed') return undefined;
  return info as RunInfo;
}
