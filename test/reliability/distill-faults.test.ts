import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAULT_KINDS, OUTPUT_FAULTS, TRANSPORT_FAULTS, type FaultKind } from '../fake-llm/faults.js';
import { runLlmTopics, type LlmTopicRun } from './llm-topics.js';

/**
 * A full distill run against a provider that fails 30% of the time, every way it can. Retries wait
 * 2 ms instead of seconds; `timeoutMs` is far above the fake's answer time even on a machine whose
 * cores are all busy (at 2 s, a loaded 2-core machine timed out answers that were merely slow, and
 * counted more retries than faults), so only the injected hangs time out (a request the client gave up on while the server still answered it would be
 * billed without the client knowing, and the paid-request count could not match).
 */
const TEACHER = { maxRetries: 12, maxOutputRetries: 5, retryBaseMs: 2, timeoutMs: 8000 };

const weights = (kinds: readonly FaultKind[]) => Object.fromEntries(kinds.map((k) => [k, 1]));

/**
 * Faults whose answer the client asks for again. `bad-label` is left out here: a row with a label
 * outside the set is kept as a rejected row without asking again (a row problem, not an answer
 * problem), so a run with it cannot end with the clean run's model; the cap test below has it.
 * Re-asks are not spared: with `maxOutputRetries` 5, six unusable answers in a row are needed to
 * lose a row, and whether that happens is fixed by the seed, like every other fault here.
 */
const RECOVERABLE = weights([...TRANSPORT_FAULTS, 'truncated-answer', 'schema-break', 'empty-answer']);

const tmp = () => mkdtempSync(join(tmpdir(), 'apprentice-faults-'));

function expectNothingLostOrPaidTwice(run: LlmTopicRun): void {
  const totals = run.store.totals(run.summary.runId);
  // Every 200 the provider sent is in the ledger, and every request it received was counted (an
  // attempt lost on a stale keep-alive socket would be counted without reaching the server).
  expect(totals.paidRequests).toBe(run.fake.outcomes['200']);
  expect(totals.httpRequests).toBeGreaterThanOrEqual(run.fake.requests.length);
  expect(run.faults.answered).toEqual(run.fake.outcomes);
  // No training text twice; every pool text the teacher answered was trained on or kept as rejected.
  const texts = run.training.map((t) => t.text);
  expect(new Set(texts).size).toBe(texts.length);
  const kept = new Set([
    ...run.training.filter((t) => t.source === 'pool').map((t) => t.text),
    ...run.rejected.filter((r) => r.kind === 'label').map((r) => r.input),
  ]);
  const lost = [...run.asked].filter((t) => !kept.has(t));
  expect(lost).toEqual([]);
  expect(run.asked.size).toBeGreaterThan(0);
}

describe('distill against a faulty teacher', () => {
  it('with 30% injected faults completes, pays nothing unrecorded, loses nothing, and trains the model a clean run trains', async () => {
    const clean = await runLlmTopics(tmp(), { teacher: TEACHER });
    const faulty = await runLlmTopics(tmp(), { teacher: TEACHER, faults: { rate: 0.3, seed: 11, kinds: RECOVERABLE } });

    expect(faulty.summary.status).toBe('complete');
    expect(faulty.summary.teacher.answers).toBe(150);
    expectNothingLostOrPaidTwice(faulty);
    expectNothingLostOrPaidTwice(clean);

    // The faults happened, several kinds of them, and cost requests and retries.
    const requests = faulty.fake.requests.length;
    const faulted = requests - faulty.faults.injected.none;
    expect(faulted / requests).toBeGreaterThan(0.15);
    expect(
      Object.entries(faulty.faults.injected).filter(([k, n]) => k !== 'none' && n > 0).length,
    ).toBeGreaterThanOrEqual(6);
    expect(faulty.teacherEvents.retries).toBe(faulted);
    expect(requests).toBeGreaterThan(clean.fake.requests.length);
    expect(faulty.fake.outcomes['200']).toBeGreaterThan(clean.fake.outcomes['200']);

    // ... and changed nothing the run learnt from.
    expect(faulty.rejected).toEqual([]);
    expect(faulty.training.map((t) => [t.text, t.labels])).toEqual(clean.training.map((t) => [t.text, t.labels]));
    expect(faulty.model.equals(clean.model)).toBe(true);
    expect(faulty.summary.final.accuracy).toBe(clean.summary.final.accuracy);
  });

  it('keeps the answer cap exactly with 8 requests in flight and every kind of fault, rows with bad labels kept as rejected', async () => {
    const run = await runLlmTopics(tmp(), {
      teacher: { ...TEACHER, concurrency: 8, batchSize: 3 },
      budget: { answers: 150 },
      answerDelayMs: 20,
      faults: { rate: 0.3, seed: 5, kinds: weights(FAULT_KINDS) },
    });
    expect(run.summary.status).toBe('complete');
    expect(run.summary.stopReason).toBe('budget');
    expect(run.summary.teacher.answers).toBe(150);
    expect(run.store.totals(run.summary.runId).answers).toBe(150);
    expect(Math.max(...run.summary.rounds.map((r) => r.answers))).toBeLessThanOrEqual(150);
    expect(run.fake.maxInFlight).toBeGreaterThan(4);
    expectNothingLostOrPaidTwice(run);
    expect(run.faults.injected['bad-label']).toBeGreaterThan(0);
    expect(run.rejected.length).toBeGreaterThan(0);
    for (const r of run.rejected) {
      expect(r.reason.length).toBeGreaterThan(0);
      // The spoilt row itself: the out-of-set label, or the empty example a generation answer held.
      if (r.kind === 'label') expect(r.raw).toContain('not-a-label');
      else expect(r.raw).toBe('');
    }
    expect(run.teacherEvents.rejected).toBe(run.rejected.length);
  });

  it('never crosses a token cap with 8 requests in flight, transport retries and re-asks', async () => {
    const cap = 12_000;
    const run = await runLlmTopics(tmp(), {
      // A small maxOutputTokens makes each call's reserved worst case close to what it uses.
      teacher: { ...TEACHER, concurrency: 8, batchSize: 3, maxOutputTokens: 300 },
      budget: { tokens: cap },
      answerDelayMs: 20,
      // Answer faults weigh triple, so the run re-asks whatever path the loop takes: with every kind
      // weighted alike, a change in which rows the loop asks for once left this run with none.
      faults: {
        rate: 0.3,
        seed: 8,
        kinds: { ...weights(TRANSPORT_FAULTS), ...Object.fromEntries(OUTPUT_FAULTS.map((k) => [k, 3])) },
      },
    });
    const totals = run.store.totals(run.summary.runId);
    expect(run.summary.status).toBe('complete');
    expect(run.summary.stopReason).toBe('budget');
    expect(totals.inputTokens + totals.outputTokens).toBeLessThanOrEqual(cap);
    // Close to the cap: it was what stopped the run, not something else.
    expect(totals.inputTokens + totals.outputTokens).toBeGreaterThan(cap * 0.7);
    expect(totals.paidRequests).toBe(run.fake.outcomes['200']);
    // At least: an attempt lost on a stale keep-alive socket is counted by the client but never reaches the server.
    expect(totals.httpRequests).toBeGreaterThanOrEqual(run.fake.requests.length);
    expect(
      run.faults.injected['truncated-answer'] +
        run.faults.injected['schema-break'] +
        run.faults.injected['empty-answer'],
    ).toBeGreaterThan(0);
  });
});
