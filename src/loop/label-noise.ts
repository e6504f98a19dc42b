import type { Task } from '../task/schema.js';
import type { Teacher } from '../teacher/types.js';
import type { TrainingSet } from './training-set.js';
import { findLabelIssues, repairPlan, type ReviewLine } from '../data/label-noise/index.js';
import { textId } from '../util/hash.js';
import type { Source } from '../data/example.js';

/** Seeds and reviewers' corrections are people's own word; only teacher rows are questioned. */
const TRUSTED: ReadonlySet<Source> = new Set<Source>(['seed', 'human']);

/** Temperature of a second opinion from the task's own teacher: a fresh sample, not a cached replay. */
const SECOND_OPINION_TEMPERATURE = 0.7;
/** Below this many rows, cross-validated probabilities are too noisy to accuse a label. */
const MIN_ROWS = 100;

export interface LabelNoiseRound {
  flagged: number;
  relabeled: number;
  answers: number;
}

/**
 * Confident learning over the training set after a round: rows whose label the student, trained
 * without them, confidently disagrees with. `relabel` sends them back for a second opinion (the
 * review teacher when one is set, else the task's teacher sampled afresh) and adopts a different
 * answer; `review` lists them for a person. Each row is questioned at most once per run.
 */
export class LabelNoiseCheck {
  readonly review: ReviewLine[] = [];
  private readonly checked = new Set<string>();

  constructor(
    private readonly task: Task,
    private readonly teacher: Teacher,
    private readonly reviewTeacher?: Teacher,
  ) {}

  async run(set: TrainingSet, round: number, answersLeft: number): Promise<LabelNoiseRound> {
    const out: LabelNoiseRound = { flagged: 0, relabeled: 0, answers: 0 };
    const mode = this.task.data.labelNoise;
    const candidates = set.examples.map((e, index) => ({ e, index })).filter(({ e }) => !TRUSTED.has(e.source));
    if (mode === 'off' || candidates.length < MIN_ROWS) return out;
    const rows = set.examples.map((e) => ({ text: e.text, labels: e.labels }));
    const issues = findLabelIssues(rows, {
      labels: this.task.labels.map((l) => l.name),
      multiLabel: this.task.multiLabel,
      seed: this.task.seed,
      kind: this.task.student.kind,
      params: this.task.student.params,
    }).filter((i) => !TRUSTED.has(set.examples[i.index].source) && !this.checked.has(set.examples[i.index].id));
    out.flagged = issues.length;
    for (const i of issues) this.checked.add(set.examples[i.index].id);
    const plan = repairPlan(issues, mode);
    if (plan.mode === 'review') {
      this.review.push(...plan.lines);
      return out;
    }
    const ask = plan.ask.slice(0, answersLeft);
    if (ask.length === 0) return out;
    const teacher = this.reviewTeacher ?? this.teacher;
    const answers = await teacher.label(
      ask.map((a) => ({ id: textId(a.text), text: a.text })),
      this.reviewTeacher ? undefined : { temperature: SECOND_OPINION_TEMPERATURE },
    );
    out.answers = ask.length;
    answers.forEach((r, k) => {
      if (!r.ok) return;
      const example = set.examples[ask[k].index];
      if (sameSet(example.labels, r.labels)) return;
      example.attributes = {
        ...(example.attributes ?? {}),
        relabeledFrom: example.labels.join('|'),
        relabeledRound: String(round),
      };
      example.labels = [...r.labels];
      out.relabeled += 1;
    });
    return out;
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
