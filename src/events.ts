/**
 * Typed events. The library never prints: it emits these. The CLI renders them as progress,
 * the run directory appends them to events.jsonl.
 */
import type { BudgetLimit, CallKind } from './core/types.js';

export type ApprenticeEvent =
  | {
      type: 'run-start';
      runId: string;
      task: string;
      teacher: string;
      teacherKind: 'llm' | 'dataset';
      student: string;
      dir: string;
    }
  | {
      type: 'data-loaded';
      pool: number;
      gold: number;
      seeds: number;
      /** Texts reviewers labeled in the studio (trained on, not asked) and marked unusable; absent with no corrections file. */
      human?: number;
      unusable?: number;
    }
  | { type: 'round-start'; round: number; trainSize: number; answersUsed: number }
  | { type: 'teacher-call-start'; kind: CallKind; answers: number }
  | {
      type: 'teacher-call-end';
      kind: CallKind;
      answers: number;
      cached: boolean;
      httpRequests: number;
      inputTokens: number;
      outputTokens: number;
      dollars: number;
      ms: number;
    }
  | { type: 'teacher-retry'; attempt: number; reason: string; delayMs: number }
  | {
      type: 'teacher-batch';
      /** The provider's batch id. */
      id: string;
      status: string;
      total: number;
      completed: number;
      failed: number;
      /** Polled again after a restart, not submitted again. */
      resumed: boolean;
    }
  | { type: 'teacher-rejected'; kind: 'label' | 'generate'; input: string; reason: string }
  | { type: 'acquire-progress'; round: number; done: number; total: number }
  | { type: 'acquire-end'; round: number; labeled: number; generated: number; rejected: number }
  | { type: 'train-start'; round: number; rows: number }
  | { type: 'train-epoch-end'; round: number; epoch: number; loss: number; valLoss?: number; valAccuracy?: number }
  | { type: 'train-end'; round: number; ms: number }
  | {
      type: 'eval-end';
      round: number;
      split: 'validation' | 'gold';
      accuracy: number;
      macroF1: number;
      microF1?: number;
      answers: number;
      dollars: number;
    }
  | { type: 'round-end'; round: number; improved: boolean; best: number }
  | { type: 'budget-exhausted'; limit: BudgetLimit; used: number; cap: number }
  | { type: 'run-end'; status: 'complete' | 'failed'; reason: StopReason; ms: number }
  | { type: 'warning'; message: string };

/** `retrain`: not a loop at all, a student retrained from a run's rows (run/retrain.ts). */
export type StopReason = 'budget' | 'plateau' | 'max-rounds' | 'pool-exhausted' | 'error' | 'retrain';

export type EventType = ApprenticeEvent['type'];
export type Listener = (event: ApprenticeEvent) => void;

export class Emitter {
  private readonly listeners: Listener[] = [];
  on(listener: Listener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }
  emit(event: ApprenticeEvent): void {
    for (const l of this.listeners) l(event);
  }
}
