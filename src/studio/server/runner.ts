import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RUN_FILES } from '../../run/run-files.js';
import { newRunId } from '../../run/run-id.js';
import { taskKindRunner } from '../../run/task-kinds.js';
import { ConfigError } from '../../errors.js';
import type { CostPlan } from '../../loop/plan.js';
import { loadTask } from '../../task/load.js';
import type { Task } from '../../task/schema.js';
import type { RunSummary } from '../../run/task-kinds.js';

/**
 * The CLI entry point: a studio-started run is an ordinary `apprentice distill` in its own process.
 * Found upwards from here: three folders up in a checkout (src/studio/server), four in the package (dist/src/…).
 */
const CLI = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 5; up++, dir = dirname(dir)) {
    const bin = join(dir, 'bin', 'apprentice.mjs');
    if (existsSync(bin)) return bin;
  }
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'apprentice.mjs');
})();

export interface StartedRun {
  name: string;
  runId: string;
}

/**
 * Runs started from the studio, each an `apprentice distill` child process: training is synchronous
 * work that would stall the studio's own requests (and its live updates) if it ran in this process.
 * Stop sends SIGINT, the same clean stop as Ctrl-C (run.json says interrupted, the cache keeps
 * every answer). The child inherits this process's environment, so keys stay on the server.
 */
export class Runner {
  private readonly live = new Map<string, { child: ChildProcess; done: Promise<void> }>();

  constructor(
    private readonly runsDir: string,
    private readonly cachePath: string,
  ) {}

  /** The task kind's own planner (src/run/task-kinds.ts): an extraction task is planned as one. */
  async plan(taskFile: string): Promise<{ task: Task; plan: CostPlan }> {
    const task = loadTask(resolve(taskFile));
    const runner = taskKindRunner(task);
    if (!runner.plan)
      throw new ConfigError(`the studio cannot plan a \`kind: ${runner.name}\` task yet`, {
        file: task.file,
        field: 'kind',
        hint: 'run it with apprentice distill',
      });
    return { task, plan: await runner.plan(task) };
  }

  /** Starts a run of the task file into a new directory under the runs root; resolves once run.json exists. */
  async start(taskFile: string): Promise<StartedRun> {
    const { task } = await this.plan(taskFile);
    const name = newRunId(task.name);
    const dir = join(resolve(this.runsDir), name);
    if (existsSync(dir)) throw new Error(`a run directory ${name} already exists; start again in a second`);
    // --yes: the studio showed the plan and its dollars, and the person confirmed there.
    const child = spawn(
      process.execPath,
      [CLI, 'distill', resolve(taskFile), '--out', dir, '--cache', this.cachePath, '--yes', '--quiet'],
      { stdio: ['ignore', 'ignore', 'pipe'], env: process.env },
    );
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const done = new Promise<void>((res) => child.once('exit', () => res())).finally(() => this.live.delete(name));
    this.live.set(name, { child, done });
    // The page opens the run right away: wait for the child to write run.json (or to fail first).
    const t0 = Date.now();
    while (!existsSync(join(dir, RUN_FILES.run))) {
      if (!this.live.has(name)) throw new Error(`the run did not start: ${stderr.trim() || 'the process exited'}`);
      if (Date.now() - t0 > 60_000) {
        child.kill('SIGINT');
        throw new Error('the run did not start within a minute');
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return { name, runId: name };
  }

  /**
   * "Retrain now": `apprentice retrain <run> --json` in a child process (training would stall the
   * studio's requests), reading the corrections this studio writes. Resolves with the new run's
   * directory name and its before/after scores once it is written.
   */
  async retrain(
    dir: string,
    correctionsFile: string,
  ): Promise<{ name: string; retrain: NonNullable<RunSummary['retrain']> }> {
    const child = spawn(process.execPath, [CLI, 'retrain', dir, '--corrections', correctionsFile, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: process.env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const code = await new Promise<number | null>((res) => child.once('exit', (c) => res(c)));
    if (code !== 0) throw new Error(`retrain failed: ${stderr.trim() || `exit ${code}`}`);
    const summary = JSON.parse(stdout) as RunSummary;
    return { name: basename(summary.dir), retrain: summary.retrain! };
  }

  /** Stops a run this studio started; false when it did not start it (or it already ended). */
  stop(name: string): boolean {
    const run = this.live.get(name);
    if (!run) return false;
    run.child.kill('SIGINT');
    return true;
  }

  isLive(name: string): boolean {
    return this.live.has(name);
  }

  /** Stops every run and waits for them to write their state (server shutdown). */
  async stopAll(): Promise<void> {
    const all = [...this.live.values()];
    for (const r of all) r.child.kill('SIGINT');
    await Promise.all(all.map((r) => r.done));
  }
}
