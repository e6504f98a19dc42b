import type { ApprenticeEvent } from '../events.js';

interface Sink {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * Turns the loop's typed events into progress on stderr. On a terminal it keeps one line and
 * rewrites it in place; into a pipe or a CI log it writes one plain line per round, because
 * carriage returns turn logs into noise.
 */
export class ProgressRenderer {
  private round = 0;
  private answers = 0;
  private calls = 0;
  private cachedCalls = 0;
  private httpRequests = 0;
  private accuracy?: number;
  private macroF1?: number;
  private split?: 'validation' | 'gold';
  private phase = 'starting';
  private lastDraw = 0;
  private lineOpen = false;

  constructor(
    private readonly out: Sink,
    private readonly budgetAnswers: number | undefined,
    private readonly now: () => number = () => Date.now(),
  ) {}

  get tty(): boolean {
    return this.out.isTTY === true;
  }

  handle(event: ApprenticeEvent): void {
    switch (event.type) {
      case 'run-start':
        this.println(
          `distilling ${event.task}: teacher ${event.teacher}${event.teacherKind === 'dataset' ? ' (answers from a labeled file)' : ''}, student ${event.student}`,
        );
        this.println(`run directory ${event.dir}`);
        break;
      case 'data-loaded':
        this.println(
          `data: pool ${event.pool} inputs, gold ${event.gold} rows, ${event.seeds} seed examples${event.human || event.unusable ? `, ${event.human ?? 0} labeled by reviewers (not asked), ${event.unusable ?? 0} marked unusable` : ''}`,
        );
        break;
      case 'round-start':
        this.round = event.round;
        this.answers = Math.max(this.answers, event.answersUsed);
        this.phase = 'asking the teacher';
        this.draw();
        break;
      case 'teacher-call-start':
        this.phase =
          event.kind === 'label' ? 'labeling' : event.kind === 'generate' ? 'generating' : 'asking the teacher';
        this.draw();
        break;
      case 'teacher-call-end':
        this.answers += event.answers;
        this.calls += 1;
        if (event.cached) this.cachedCalls += 1;
        this.httpRequests += event.httpRequests;
        this.draw();
        break;
      case 'teacher-batch':
        this.phase = `batch ${event.id} ${event.status}: ${event.completed + event.failed}/${event.total}${event.resumed ? ' (resumed)' : ''}`;
        if (this.tty) this.draw();
        else this.println(this.phase);
        break;
      case 'teacher-retry':
        if (!this.tty)
          this.println(`teacher retry ${event.attempt}: ${event.reason} (waiting ${Math.round(event.delayMs)} ms)`);
        break;
      case 'train-start':
        this.phase = `training on ${event.rows} rows`;
        this.draw(true);
        break;
      case 'train-end':
        this.phase = 'evaluating';
        this.draw();
        break;
      case 'eval-end':
        // Gold numbers are the ones the user cares about; validation only when there is no gold set.
        if (event.split === 'gold' || this.split !== 'gold' || event.round !== this.round) {
          this.accuracy = event.accuracy;
          this.macroF1 = event.macroF1;
          this.split = event.split;
        }
        this.answers = Math.max(this.answers, event.answers);
        break;
      case 'round-end':
        this.phase = event.improved ? 'improved' : 'no improvement';
        if (this.tty) this.draw(true);
        else this.println(this.statusLine());
        break;
      case 'budget-exhausted':
        this.println(`budget: ${event.limit} cap reached (${fmtNum(event.used)} of ${fmtNum(event.cap)})`);
        break;
      case 'warning':
        this.println(`warning: ${event.message}`);
        break;
      case 'run-end':
        this.finish();
        break;
      default:
        break;
    }
  }

  /** Leaves the terminal on a fresh line, so what follows is not written over the bar. */
  finish(): void {
    if (this.lineOpen) {
      this.out.write('\n');
      this.lineOpen = false;
    }
  }

  /** `barWidth` shrinks on narrow terminals so the numbers, not the bar, stay visible. */
  statusLine(barWidth = 20, extra = ''): string {
    const answers =
      this.budgetAnswers !== undefined ? `${this.answers}/${this.budgetAnswers} answers` : `${this.answers} answers`;
    const parts = [
      `round ${this.round}`,
      this.budgetAnswers !== undefined ? `${bar(this.answers / this.budgetAnswers, barWidth)} ${answers}` : answers,
    ];
    if (this.accuracy !== undefined && this.macroF1 !== undefined) {
      parts.push(
        `acc ${this.accuracy.toFixed(3)}  macro-F1 ${this.macroF1.toFixed(3)}${this.split === 'validation' ? ' (val)' : ''}`,
      );
    }
    // HTTP counts only mean something for LLM teachers; a dataset teacher never sends any.
    const http = this.httpRequests > 0 ? `, ${this.httpRequests} http` : '';
    parts.push(`teacher calls ${this.calls} (${this.cachedCalls} cached${http})`);
    if (extra) parts.push(extra);
    return parts.join('  ');
  }

  private draw(force = false): void {
    if (!this.tty) return;
    const t = this.now();
    // Redrawing on every event would cost more than the work it reports on for cached runs.
    if (!force && t - this.lastDraw < 80) return;
    this.lastDraw = t;
    // Some pseudo-terminals report 0 columns; that means "unknown", not "none".
    const width = Math.max(40, (this.out.columns || 100) - 1);
    // What gives way on a narrow terminal: first the phase, then bar width, then the tail.
    let line = '';
    for (const extra of [this.phase, '']) {
      const barWidth = Math.min(20, width - this.statusLine(0, extra).length);
      if (barWidth >= 6) {
        line = this.statusLine(barWidth, extra);
        break;
      }
    }
    line ||= this.statusLine(6);
    this.out.write(`\r\x1b[2K${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
    this.lineOpen = true;
  }

  private println(line: string): void {
    if (this.lineOpen) {
      this.out.write('\r\x1b[2K');
      this.lineOpen = false;
    }
    this.out.write(`${line}\n`);
  }
}

export function bar(fraction: number, width: number): string {
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const full = Math.round(f * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}]`;
}

function fmtNum(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(4);
}
