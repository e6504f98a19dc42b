import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative, resolve, isAbsolute } from 'node:path';
import type { ApprenticeEvent, StopReason } from '../events.js';
import type { Task } from '../task/schema.js';
import { ConfigError, isApprenticeError } from '../errors.js';
import { stageFile, writeFileAtomic, TEMP_MARKER } from '../util/atomic.js';
import { redact } from '../util/redact.js';
import {
  REQUIRED_FOR_COMPLETE,
  RUN_FILES,
  RUN_FORMAT_VERSION,
  readRunStatus,
  type EventLine,
  type RunInfo,
} from './run-files.js';

/**
 * Files that say a run finished (summary.json and report.html carry `status: complete`). Until
 * markComplete they wait under a temp name, so a run killed while writing its outputs leaves
 * nothing that reads as done; a takeover clears them with the other temp files.
 */
const HELD_UNTIL_COMPLETE: readonly string[] = [RUN_FILES.summary, RUN_FILES.report];
const held = (path: string) => `${path}${TEMP_MARKER}held`;

export interface CreateRunDirOptions {
  runId: string;
  task: Task;
  /** Replace a complete run (or a live-looking one) instead of refusing. */
  overwrite?: boolean;
  now?: Date;
}

/**
 * The directory one `distill` run writes. run.json says `running` from the first moment and
 * `complete` only once every other file is in place, so a run killed mid-way never reads as done.
 * Every string written is passed through `redact`.
 */
export class RunDir {
  /** Appends to events.jsonl; pass to `emitter.on`. */
  readonly onEvent = (event: ApprenticeEvent): void => this.appendEvent(event);
  private info: RunInfo;

  private constructor(
    readonly dir: string,
    info: RunInfo,
  ) {
    this.info = info;
  }

  get runId(): string {
    return this.info.runId;
  }

  get status(): RunInfo['status'] {
    return this.info.status;
  }

  static create(dir: string, options: CreateRunDirOptions): RunDir {
    const root = resolve(dir);
    checkTakeover(root, dir, options.overwrite ?? false);
    const info: RunInfo = {
      formatVersion: RUN_FORMAT_VERSION,
      runId: options.runId,
      task: options.task.name,
      status: 'running',
      startedAt: (options.now ?? new Date()).toISOString(),
      pid: process.pid,
    };
    const run = new RunDir(root, info);
    // `running` goes down before anything is cleared: a crash mid-takeover must not leave an old
    // `complete` beside half its files.
    run.writeRunInfo();
    clearStale(root);
    mkdirSync(join(root, 'model'), { recursive: true });
    run.writeJson(RUN_FILES.task, options.task);
    writeFileSync(run.path(RUN_FILES.events), '');
    return run;
  }

  /** Absolute path of a file in the run directory; refuses names that would escape it. */
  path(name: string): string {
    const full = resolve(this.dir, name);
    const rel = relative(this.dir, full);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel))
      throw new Error(`run file name escapes the run directory: ${name}`);
    return full;
  }

  writeJson(name: string, value: unknown): void {
    this.writeText(name, `${JSON.stringify(value, null, 2)}\n`);
  }

  writeJsonl(name: string, rows: Iterable<unknown>): void {
    let text = '';
    for (const row of rows) text += `${JSON.stringify(row)}\n`;
    this.writeText(name, text);
  }

  writeText(name: string, text: string): void {
    if (name === RUN_FILES.run) throw new Error('run.json is written only by markComplete / markFailed');
    const path = this.path(name);
    writeFileAtomic(HELD_UNTIL_COMPLETE.includes(name) ? held(path) : path, redact(text));
  }

  /**
   * One line per event, appended and flushed as it happens, so a killed run keeps its trail. Each line
   * carries the format version and the time it was written, so a reader can order and date events.
   */
  appendEvent(event: ApprenticeEvent, now: Date = new Date()): void {
    const line: EventLine = { v: RUN_FORMAT_VERSION, ts: now.toISOString(), ...event };
    appendFileSync(this.path(RUN_FILES.events), `${redact(JSON.stringify(line))}\n`);
  }

  markComplete(extra: { stopReason: StopReason; now?: Date }): void {
    if (this.info.status === 'failed') throw new Error(`run ${this.runId} was already marked failed`);
    const missing = REQUIRED_FOR_COMPLETE.filter(
      (f) => !existsSync(this.path(f)) && !(HELD_UNTIL_COMPLETE.includes(f) && existsSync(held(this.path(f)))),
    );
    if (missing.length > 0)
      throw new Error(`run ${this.runId} cannot be marked complete: missing ${missing.join(', ')}`);
    const info: RunInfo = {
      ...this.info,
      status: 'complete',
      endedAt: (extra.now ?? new Date()).toISOString(),
      stopReason: extra.stopReason,
    };
    // run.json is on disk before the held files are released, so only a kill within these few
    // renames (not an fsync) can leave one of them out ahead of it.
    const commit = stageFile(join(this.dir, RUN_FILES.run), runInfoText(info));
    for (const f of HELD_UNTIL_COMPLETE) {
      if (existsSync(held(this.path(f)))) renameSync(held(this.path(f)), this.path(f));
    }
    commit();
    this.info = info;
  }

  markFailed(error: unknown, now: Date = new Date()): void {
    // Everything a complete run promises is already on disk; a later failure (say, while printing)
    // does not make those files less true.
    if (this.info.status === 'complete') return;
    this.info = {
      ...this.info,
      status: 'failed',
      endedAt: now.toISOString(),
      stopReason: 'error',
      error: describeError(error),
    };
    this.writeRunInfo();
  }

  private writeRunInfo(): void {
    writeFileAtomic(join(this.dir, RUN_FILES.run), runInfoText(this.info));
  }
}

function runInfoText(info: RunInfo): string {
  return redact(`${JSON.stringify(info, null, 2)}\n`);
}

function checkTakeover(root: string, shown: string, overwrite: boolean): void {
  if (!existsSync(root)) return;
  if (!statSync(root).isDirectory())
    throw new ConfigError(`${shown} exists and is not a directory`, { hint: 'pass --out <new directory>' });
  if (readdirSync(root).length === 0 || overwrite) return;
  const prior = readRunStatus(root);
  if (!prior) {
    throw new ConfigError(`${shown} is not empty and does not hold an Apprentice run`, {
      hint: 'pass --out <new or empty directory>, or --overwrite to write into it anyway',
    });
  }
  if (prior.status === 'complete') {
    throw new ConfigError(`${shown} already holds a complete run (${prior.runId})`, {
      hint: 'pass --out <another directory> to keep it, or --overwrite to replace it',
    });
  }
  if (prior.status === 'running' && prior.pid !== process.pid && isAlive(prior.pid)) {
    throw new ConfigError(
      `${shown} is in use by run ${prior.runId} (pid ${prior.pid}), which still appears to be running`,
      {
        hint: 'wait for it to finish, or pass --overwrite if that process is not an Apprentice run',
      },
    );
  }
}

/** Whether a process with this pid exists (a run's writer, by run.json). */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes only files a run writes (and temp leftovers): a user's own files in the directory stay. */
function clearStale(root: string): void {
  for (const name of Object.values(RUN_FILES)) {
    if (name !== RUN_FILES.run) rmSync(join(root, name), { force: true });
  }
  for (const sub of [root, join(root, 'model')]) {
    if (!existsSync(sub)) continue;
    for (const entry of readdirSync(sub)) {
      if (entry.includes(TEMP_MARKER)) rmSync(join(sub, entry), { force: true });
    }
  }
}

function describeError(error: unknown): NonNullable<RunInfo['error']> {
  if (isApprenticeError(error))
    return { name: error.name, code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  if (error instanceof Error) return { name: error.name, code: 'internal', message: error.message };
  return { name: 'Error', code: 'internal', message: String(error) };
}
