import { ModelSlot, type ReloadResult } from './model-slot.js';
import type { ModelInfo } from './schemas.js';

/** The models one server answers for, by name, each watched for replacement on disk. */
export class ModelSet {
  private readonly slots = new Map<string, ModelSlot>();

  /** Loads every model now, so a bad one fails the start rather than the first request. */
  constructor(models: readonly { name: string; file: string }[]) {
    for (const m of models) this.slots.set(m.name, new ModelSlot(m.name, m.file));
  }

  get(name: string): ModelSlot | undefined {
    return this.slots.get(name);
  }

  names(): string[] {
    return [...this.slots.keys()];
  }

  list(): ModelInfo[] {
    return [...this.slots.values()].map((s) => s.info());
  }

  /**
   * Polls the files every `intervalMs` (polling, not fs.watch: a watch follows the inode, and an
   * atomic replace is a new inode; it also works on network and container filesystems). Returns
   * a function that stops it.
   */
  watch(intervalMs: number, onChange: (model: string, change: Exclude<ReloadResult, { result: 'unchanged' }>) => void) {
    let busy = false;
    const timer = setInterval(async () => {
      if (busy) return;
      busy = true;
      try {
        for (const slot of this.slots.values()) {
          const r = await slot.check();
          if (r.result !== 'unchanged') onChange(slot.name, r);
        }
      } finally {
        busy = false;
      }
    }, intervalMs);
    // Watching alone must not keep a process alive that is otherwise done.
    timer.unref();
    return () => clearInterval(timer);
  }
}
