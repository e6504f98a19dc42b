import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Example } from '../../data/example.js';
import { RUN_FILES, type RunInfo } from '../../run/run-files.js';
import { saveStudent, trainStudent } from '../../student/registry.js';
import { TOPIC_LABELS, topicRows } from '../../student/synthetic-topics.js';
import { textId } from '../../util/hash.js';
import { Rng } from '../../util/random.js';

const SOURCES = ['pool', 'pool', 'pool', 'generated', 'seed'] as const;
const STRATEGIES = ['weak-label', 'hard-negative', 'attribute'];

/**
 * A complete run directory with `n` training rows of synthetic topic texts (for the data browser's
 * tests and bench): sources, rounds and strategies spread over the rows, 5% of the labels flipped
 * so a real student trained on a clean sample disagrees with them, and 1% flagged in review.jsonl.
 */
export function writeBigRun(dir: string, n: number, seed = 7): { flipped: number; flagged: number } {
  mkdirSync(join(dir, 'model'), { recursive: true });
  const rng = new Rng(seed);
  const perTopic = Math.ceil(n / TOPIC_LABELS.length);
  const base = topicRows(perTopic, seed).slice(0, n);
  let flipped = 0;
  let flagged = 0;
  const review: string[] = [];
  const lines: string[] = [];
  base.forEach((r, i) => {
    const drawn = SOURCES[rng.int(SOURCES.length)];
    // One row in 500 labeled by a reviewer in the studio (no draw, so the other rows stay as they were).
    const human = i % 500 === 499;
    const source = human ? 'human' : drawn;
    let labels = r.labels;
    if (rng.next() < 0.05) {
      labels = [TOPIC_LABELS[(TOPIC_LABELS.indexOf(r.labels[0]) + 1) % TOPIC_LABELS.length]];
      flipped += 1;
    }
    // Texts repeat in the generator; a suffix keeps ids unique as in a real deduplicated run.
    const text = `${r.text} #${i}`;
    const e: Example = {
      id: textId(text),
      text,
      labels,
      source,
      round: rng.int(10),
      teacher: human ? 'human' : source === 'seed' ? 'user' : 'dataset:topics.jsonl',
      ...(human ? { reviewer: 'ana' } : {}),
      confidence: Math.round((0.5 + rng.next() * 0.5) * 100) / 100,
      attributes: source === 'generated' ? { strategy: STRATEGIES[rng.int(STRATEGIES.length)] } : { strategy: source },
    };
    lines.push(JSON.stringify(e));
    if (rng.next() < 0.01) {
      flagged += 1;
      review.push(JSON.stringify({ text, given: labels, suggested: r.labels, selfConfidence: 0.1 }));
    }
  });
  writeFileSync(join(dir, RUN_FILES.training), `${lines.join('\n')}\n`);
  writeFileSync(join(dir, 'review.jsonl'), `${review.join('\n')}\n`);
  writeFileSync(join(dir, RUN_FILES.rejected), '');
  // A learning curve in the events, as a run leaves one (the runs list and compare chart read it).
  const events = Array.from({ length: 6 }, (_, round) => ({
    type: 'eval-end',
    round,
    split: 'validation',
    accuracy: 0.6 + 0.06 * round - 0.004 * round * round,
    macroF1: 0.58 + 0.06 * round - 0.004 * round * round,
    answers: 2000 * (round + 1),
    dollars: 0.8 * (round + 1),
  }));
  writeFileSync(join(dir, RUN_FILES.events), `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
  const student = trainStudent('hashed-linear', topicRows(150, seed + 1), {
    labels: TOPIC_LABELS,
    multiLabel: false,
    seed,
  });
  saveStudent(student, join(dir, RUN_FILES.student));
  writeFileSync(
    join(dir, RUN_FILES.task),
    JSON.stringify({ name: 'topics', labels: TOPIC_LABELS.map((name) => ({ name })) }),
  );
  const info: RunInfo = {
    runId: 'topics-big',
    task: 'topics',
    status: 'complete',
    startedAt: new Date().toISOString(),
    endedAt: new Date().toISOString(),
    stopReason: 'budget',
    pid: process.pid,
  };
  writeFileSync(join(dir, RUN_FILES.run), JSON.stringify(info));
  return { flipped, flagged };
}
