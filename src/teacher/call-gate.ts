import type { CallKind, FailedCallSpend } from '../core/types.js';
import type { Budget, Price } from '../task/schema.js';
import type { BatchLog } from './batch/batch-queue.js';
import type { CachedResponse, LedgerEntry, LedgerTotals, Store } from '../store/types.js';
import type { Emitter } from '../events.js';
import { BudgetExceededError, InterruptedError, TeacherCallError } from '../errors.js';
import { hashObject } from '../util/hash.js';

export interface GateCall {
  /** Everything that determines the answer (provider, model, messages, schema, sampling). Hashed into the cache key. */
  request: unknown;
  /** `other`: questions that yield no training answer (attribute proposals, partitions). */
  kind: CallKind;
  /** Teacher answers this call yields: inputs labeled or examples asked for. */
  answers: number;
  /** Worst case, checked against the token and dollar caps before anything is sent. */
  estimate: { inputTokens: number; maxOutputTokens: number };
  /** Performs the call. Only invoked on a cache miss, after the budget has been reserved. */
  execute(lease: GateLease): Promise<Omit<CachedResponse, 'createdAt' | 'ms' | 'dollars'>>;
}

/** Handed to `execute`: lets one call pay for another attempt (a re-ask) only if the caps allow it. */
export interface GateLease {
  /** Reserves the worst case of one more paid attempt; false, reserving nothing, when a cap would be crossed. */
  extend(estimate: GateCall['estimate']): boolean;
}

export type { FailedCallSpend };

/** What a failed or stopped call had paid for; its error carries it from the constructor (src/errors.ts). */
function spendOf(error: unknown): FailedCallSpend | undefined {
  return error instanceof TeacherCallError || error instanceof InterruptedError ? error.spend : undefined;
}

export interface GateResult {
  body: unknown;
  cached: boolean;
  key: string;
}

export interface CallGateOptions {
  store: Store;
  runId: string;
  teacherId: string;
  budget: Budget;
  /** Price of the teacher's model; undefined = free or unknown (dollar cap then cannot be enforced and is refused). */
  price?: Price;
  emitter?: Emitter;
}

/**
 * Every teacher request passes through here. The gate
 * - keys the request by its full content plus its occurrence index (the n-th identical request in a
 *   run is sample n), so a re-run with the same seed replays exactly the same answers from the cache;
 * - writes the response to the store *before* returning it, so a crash never loses a paid answer;
 * - holds the budget as a hard cap: answers, tokens and dollars are reserved before the call at their
 *   worst case and settled after, so concurrent calls cannot overshoot;
 * - appends a ledger line for every call, cache hit or not.
 *
 * Budget counts what the run *consumed*, cached or not, so a resumed run makes the same decisions as
 * an uninterrupted one; the ledger separately says what was actually paid.
 */
export class CallGate {
  private readonly occurrences = new Map<string, number>();
  /** Sample indexes whose call failed, so nothing is cached under them; reused first, lowest first. */
  private readonly freedSamples = new Map<string, number[]>();
  private usedAnswers = 0;
  private usedTokens = 0;
  private usedDollars = 0;
  private reservedAnswers = 0;
  private reservedTokens = 0;
  private reservedDollars = 0;

  constructor(private readonly options: CallGateOptions) {}

  /** Where provider batches are recorded: the same store as the answers they buy. */
  get batchLog(): BatchLog {
    return this.options.store;
  }

  get teacherId(): string {
    return this.options.teacherId;
  }

  /** Answers still allowed by the answer cap (Infinity when uncapped), net of calls in flight. */
  remainingAnswers(): number {
    const cap = this.options.budget.answers;
    return cap === undefined ? Infinity : Math.max(0, cap - this.usedAnswers - this.reservedAnswers);
  }

  used(): { answers: number; tokens: number; dollars: number } {
    return { answers: this.usedAnswers, tokens: this.usedTokens, dollars: this.usedDollars };
  }

  totals(): LedgerTotals {
    return this.options.store.totals(this.options.runId);
  }

  ledger(): LedgerEntry[] {
    return this.options.store.ledger(this.options.runId);
  }

  /** Whether a non-zero price is known for this teacher (task file or built-in table): its answers cost dollars. */
  priced(): boolean {
    const p = this.options.price;
    return p !== undefined && (p.inputPerMTok > 0 || p.outputPerMTok > 0);
  }

  /** Dollars for a token count at this teacher's price (0 when no price is known). */
  dollarsFor(inputTokens: number, outputTokens: number): number {
    const p = this.options.price;
    if (!p) return 0;
    return (inputTokens * p.inputPerMTok + outputTokens * p.outputPerMTok) / 1e6;
  }

  async run(call: GateCall): Promise<GateResult> {
    const base = hashObject({ teacher: this.options.teacherId, request: call.request });
    const worstTokens = call.estimate.inputTokens + call.estimate.maxOutputTokens;
    const worstDollars = this.dollarsFor(call.estimate.inputTokens, call.estimate.maxOutputTokens);
    // Reserve before taking a sample index: a refused call must not shift the samples of later ones.
    this.reserve(call.answers, worstTokens, worstDollars);
    // Occurrence index assigned synchronously, in call order, so it is deterministic for a seeded run.
    const sample = this.takeSample(base);
    const key = hashObject({ base, sample });
    this.options.emitter?.emit({ type: 'teacher-call-start', kind: call.kind, answers: call.answers });

    const started = performance.now();
    let response: CachedResponse | undefined;
    let cached = false;
    const extra = { tokens: 0, dollars: 0 };
    const lease: GateLease = {
      extend: (estimate) => {
        const tokens = estimate.inputTokens + estimate.maxOutputTokens;
        const dollars = this.dollarsFor(estimate.inputTokens, estimate.maxOutputTokens);
        if (!this.fits(0, tokens, dollars)) return false;
        this.reserve(0, tokens, dollars);
        extra.tokens += tokens;
        extra.dollars += dollars;
        return true;
      },
    };
    try {
      response = this.options.store.getCached(key);
      if (response) {
        cached = true;
      } else {
        const raw = await call.execute(lease);
        response = {
          ...raw,
          dollars: this.dollarsFor(raw.inputTokens, raw.outputTokens),
          ms: Math.round(performance.now() - started),
          createdAt: new Date().toISOString(),
        };
        this.options.store.putCached(key, response);
      }
    } catch (e) {
      // Nothing is cached under this sample, so the next identical request (a retry) takes it over;
      // otherwise a resumed run would ask for sample n, miss, and pay again for an answer it has.
      this.freeSample(base, sample);
      const spend = spendOf(e);
      if (spend && spend.paidRequests > 0) this.recordFailedCall(call.kind, key, spend, started);
      throw e;
    } finally {
      this.release(call.answers, worstTokens + extra.tokens, worstDollars + extra.dollars);
    }

    this.usedAnswers += call.answers;
    this.usedTokens += response.inputTokens + response.outputTokens;
    this.usedDollars += response.dollars;
    const ms = cached ? Math.round(performance.now() - started) : response.ms;
    this.options.store.appendLedger({
      runId: this.options.runId,
      teacher: this.options.teacherId,
      kind: call.kind,
      key,
      answers: call.answers,
      cached,
      httpRequests: cached ? 0 : response.httpRequests,
      paidRequests: cached ? 0 : response.paidRequests,
      inputTokens: response.inputTokens,
      outputTokens: response.outputTokens,
      dollars: cached ? 0 : response.dollars,
      dollarsUsed: response.dollars,
      ms,
      at: new Date().toISOString(),
    });
    this.options.emitter?.emit({
      type: 'teacher-call-end',
      kind: call.kind,
      answers: call.answers,
      cached,
      httpRequests: cached ? 0 : response.httpRequests,
      inputTokens: response.inputTokens,
      outputTokens: response.outputTokens,
      dollars: cached ? 0 : response.dollars,
      ms,
    });
    return { body: response.body, cached, key };
  }

  /**
   * A ledger line, with no answers, for a call that failed after the provider billed some of its
   * requests (a 200 whose body was cut off, then errors). Not counted against the budget: a re-run
   * replaying from the cache never makes this call, and must make the same decisions.
   */
  private recordFailedCall(kind: GateCall['kind'], key: string, spend: FailedCallSpend, started: number): void {
    const dollars = this.dollarsFor(spend.inputTokens, spend.outputTokens);
    this.options.store.appendLedger({
      runId: this.options.runId,
      teacher: this.options.teacherId,
      kind,
      key,
      answers: 0,
      cached: false,
      httpRequests: spend.httpRequests,
      paidRequests: spend.paidRequests,
      inputTokens: spend.inputTokens,
      outputTokens: spend.outputTokens,
      dollars,
      dollarsUsed: dollars,
      ms: Math.round(performance.now() - started),
      at: new Date().toISOString(),
    });
  }

  private takeSample(base: string): number {
    const freed = this.freedSamples.get(base);
    if (freed && freed.length > 0) return freed.shift()!;
    const sample = this.occurrences.get(base) ?? 0;
    this.occurrences.set(base, sample + 1);
    return sample;
  }

  private freeSample(base: string, sample: number): void {
    const freed = this.freedSamples.get(base) ?? [];
    freed.push(sample);
    freed.sort((a, b) => a - b);
    this.freedSamples.set(base, freed);
  }

  private fits(answers: number, tokens: number, dollars: number): boolean {
    try {
      this.checkCaps(answers, tokens, dollars);
      return true;
    } catch (e) {
      if (e instanceof BudgetExceededError) return false;
      throw e;
    }
  }

  private reserve(answers: number, tokens: number, dollars: number): void {
    this.checkCaps(answers, tokens, dollars);
    this.reservedAnswers += answers;
    this.reservedTokens += tokens;
    this.reservedDollars += dollars;
  }

  private checkCaps(answers: number, tokens: number, dollars: number): void {
    const b = this.options.budget;
    if (b.answers !== undefined && this.usedAnswers + this.reservedAnswers + answers > b.answers) {
      throw new BudgetExceededError(
        'answers',
        `this call needs ${answers} answers but only ${this.remainingAnswers()} of ${b.answers} remain`,
      );
    }
    if (b.tokens !== undefined && this.usedTokens + this.reservedTokens + tokens > b.tokens) {
      throw new BudgetExceededError(
        'tokens',
        `this call may use up to ${tokens} tokens; ${b.tokens - this.usedTokens - this.reservedTokens} of ${b.tokens} remain`,
      );
    }
    if (b.dollars !== undefined) {
      if (!this.options.price) {
        throw new BudgetExceededError(
          'dollars',
          `budget.dollars is set but no price is known for ${this.options.teacherId}; set teacher.price in the task file`,
        );
      }
      if (this.usedDollars + this.reservedDollars + dollars > b.dollars) {
        throw new BudgetExceededError(
          'dollars',
          `this call may cost up to $${dollars.toFixed(4)}; $${(b.dollars - this.usedDollars - this.reservedDollars).toFixed(4)} of $${b.dollars} remain`,
        );
      }
    }
  }

  private release(answers: number, tokens: number, dollars: number): void {
    this.reservedAnswers -= answers;
    this.reservedTokens -= tokens;
    this.reservedDollars -= dollars;
  }
}
