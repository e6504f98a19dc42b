import { join, resolve } from 'node:path';
import { Emitter } from '../../events.js';
import { newRunId } from '../../run/run-id.js';
import { planTask } from '../../run/plan-task.js';
import type { CostPlan } from '../../run/plan.js';
import { loadTask } from '../../task/load.js';
import type { Task } from '../../task/schema.js';

export interface StartedRun {
  name: string;
  runId: string;
  done: Promise<unknown>;
}

/**
 * Runs started from the studio: in this process, one AbortController each, so Stop is the same
 * clean stop as Ctrl-C on the CLI (run.json says failed/interrupted, the cache keeps every answer).
 */
export class Runner {
  private readonly live = new Map<string, { controller: AbortController; done: Promise<unknown> }>();

  constructor(
    private readonly runsDir: string,
    private readonly cachePath: string,
  ) {}

  plan(taskFile: string): { task: Task; plan: CostPlan } {
    const task = loadTask(resolve(taskFile));
    return { task, plan: planTask(task) };
  }

  /** Starts a run of the task file into a new directory under the runs root. */
  async start(taskFile: string): Promise<StartedRun> {
    const { task, plan } = this.plan(taskFile);
    const { distill } = await import('../../run/distill.js');
    const runId = newRunId(task.name);
    const name = runId;
    const controller = new AbortController();
    const done = distill(task, {
      outDir: join(resolve(this.runsDir), name),
      cachePath: this.cachePath,
      emitter: new Emitter(),
      signal: controller.signal,
      plan,
    })
      // The run directory records the outcome; the studio only needs to know it is over.
      .catch((e: unknown) => e)
      .finally(() => this.live.delete(name));
    this.live.set(name, { controller, done });
    return { name, runId, done };
  }

  /** Stops a run this studio started; false when it did not start it (or it already ended). */
  stop(name: string): boolean {
    const run = this.live.get(name);
    if (!run) return false;
    run.controller.abort(new Error('stopped from the studio'));
    return true;
  }

  isLive(name: string): boolean {
    return this.live.has(name);
  }

  /** Stops every run and waits for them to write their state (server shutdown). */
  async stopAll(): Promise<void> {
    const all = [...this.live.values()];
    for (const r of all) r.controller.abort(new Error('studio shutting down'));
    await Promise.all(all.map((r) => r.done));
  }
}
