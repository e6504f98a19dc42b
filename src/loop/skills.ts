import type { Task } from '../task/schema.js';
import type { Teacher } from '../teacher/types.js';
import type { Student } from '../student/types.js';
import type { Example } from '../data/example.js';
import type { LabeledText } from '../core/types.js';
import { labelKey, sameLabels } from '../data/filters/label-sets.js';
import {
  CLUSTER_ATTRIBUTE,
  attributeSourceFor,
  skillProfile,
  tagAttributes,
  weakSkills,
  type AttributeSource,
  type SkillProfile,
  type SkillEntry,
} from '../data/skills/index.js';
import type { Dimension } from '../data/strategies/attribute-space.js';

/** How many of the worst skills steer the next round (generation and row weights). */
const WEAK_SKILLS = 10;
/** Extra weight per unit of error rate for rows of a weak skill: the loss leans toward them. */
const WEIGHT_PER_ERROR = 0.5;

/**
 * The skill profile over the run: validation rows get attributes once (per-label clusters of the
 * texts, the dataset teacher's own when it is the teacher), each round measures the error rate per
 * attribute value, and training rows that share a weak value weigh more in the next training
 * (within their label: see `weigher`).
 */
export class SkillTracker {
  private readonly source: AttributeSource;
  private readonly rows: { text: string; labels: string[]; attributes: Record<string, string> }[];
  private readonly rowAttributes = new Map<string, Record<string, string>>();
  private weak: SkillEntry[] = [];
  /** Validation errors in each cluster value the student gets wrong at all. */
  private clusterWeight = new Map<string, number>();
  /** Nearest cluster of all labels' clusters, per pool text: pool texts come back round after round. */
  private readonly nearest = new Map<string, string>();
  /** Whether the validation rows have been given to the teacher to tag (once a run). */
  private tagged = false;

  constructor(task: Task, teacher: Teacher, validation: readonly LabeledText[]) {
    this.source = attributeSourceFor(teacher, validation, task.seed);
    this.rows = validation.map((r) => ({ ...r, attributes: this.source.attributesFor(r.text, r.labels[0]) }));
  }

  /**
   * Once the attribute strategy has the teacher's dimensions (tone, length, kind of writer…), the
   * teacher tags every validation row with them (tokens, no answers), so the profile measures the
   * student's error per value (`attr.tone = angry`) beside the clusters, and steering can aim the
   * attribute strategy at the weak values: without tags only generated rows carry those
   * attributes, and the profile, measured on validation rows, never saw them. Asked once, when
   * there are dimensions, of a teacher that answers questions (the dataset teacher does not: its
   * attributes are its data's clusters).
   */
  async tagValidation(teacher: Teacher, dimensions: readonly Dimension[]): Promise<void> {
    if (this.tagged || dimensions.length === 0 || !teacher.ask) return;
    this.tagged = true;
    const tags = await tagAttributes(
      (request) => teacher.ask!(request),
      dimensions,
      this.rows.map((r) => r.text),
    );
    tags.forEach((t, i) => {
      this.rows[i].attributes = { ...this.rows[i].attributes, ...t };
    });
  }

  update(student: Student, round: number): SkillProfile {
    const profile = skillProfile(student, this.rows, round);
    this.weak = weakSkills(profile, WEAK_SKILLS);
    this.clusterWeight = new Map(
      profile.entries
        .filter((e) => e.attribute === CLUSTER_ATTRIBUTE && e.errorRate > 0)
        .map((e) => [e.value, Math.round(e.errorRate * e.support)]),
    );
    return profile;
  }

  /**
   * For skill-targeted pool picks (see skill-picks.ts): per unlabeled text, the cluster it falls
   * nearest to among all labels' clusters (its label is unknown) and that cluster's weight: the
   * student's validation errors in it, 0 when it gets none of it wrong. So the picks follow the
   * errors, spread as they are spread: weighing by errors times error rate leaned harder on the
   * worst clusters, which paid on emotion (6 labels) and cost on banking77 (77), and only the ten
   * worst clusters cost banking77 more (held-out, 3 seeds: docs/data.md).
   */
  poolTargets(texts: readonly string[]): { skill: string; weight: number }[] {
    return texts.map((t) => {
      let skill = this.nearest.get(t);
      if (skill === undefined) {
        skill = this.source.attributesFor(t)[CLUSTER_ATTRIBUTE] ?? '';
        this.nearest.set(t, skill);
      }
      return { skill, weight: this.clusterWeight.get(skill) ?? 0 };
    });
  }

  /** The worst skills the student gets wrong at all, for the strategies. */
  weakSkills(): SkillEntry[] {
    return this.weak;
  }

  /**
   * Training weights for the rows, label by label (label set, multi-label): a row gains a little for
   * each weak skill it shares, then each label's weights are scaled back to its row count. So the
   * profile moves weight within a label, toward its weak clusters, and never shifts the label prior
   * the student learns: weak skills sit mostly in the rarer labels, and weighing those up as a whole
   * traded other labels' precision for their recall (emotion, held-out: 3,812 answers to target
   * against 3,212 with this).
   *
   * Rows the last student trained on and still gets wrong gain nothing: with a noisy teacher those
   * are mostly wrong labels, and its mistakes go to similar labels, so they gather in the boundary
   * clusters the profile finds weak (emotion, 15%-noise teacher, 3 seeds: the student ended 0.7,
   * 1.1 and 0.2 points below the teacher when they were weighed up, 0.1 below to 0.5 above without).
   * Rows new this round are weighed up whatever the last student thinks of them: it never saw them.
   */
  weigher(examples: readonly Example[], last?: { student: Student; round: number }): (e: Example) => number {
    if (this.weak.length === 0) return () => 1;
    const misfit = last ? misfitRows(examples, last.student, last.round) : new Set<string>();
    const raw = examples.map((e) => (misfit.has(e.id) ? 1 : this.weightOf(e)));
    const total = new Map<string, { weight: number; rows: number }>();
    examples.forEach((e, i) => {
      const key = labelKey(e.labels);
      const t = total.get(key) ?? { weight: 0, rows: 0 };
      t.weight += raw[i];
      t.rows += 1;
      total.set(key, t);
    });
    const weights = new Map(
      examples.map((e, i) => {
        const t = total.get(labelKey(e.labels))!;
        return [e.id, (raw[i] * t.rows) / t.weight];
      }),
    );
    return (e) => weights.get(e.id) ?? 1;
  }

  /** A row's weight before the per-label scaling: 1, plus a little for each weak skill it shares. */
  private weightOf(e: Example): number {
    let attrs = this.rowAttributes.get(e.id);
    if (!attrs) {
      attrs = { ...this.source.attributesFor(e.text, e.labels[0]), ...(e.attributes ?? {}) };
      this.rowAttributes.set(e.id, attrs);
    }
    let w = 1;
    for (const s of this.weak) if (attrs[s.attribute] === s.value) w += WEIGHT_PER_ERROR * s.errorRate;
    return w;
  }
}

/** Ids of the rows from rounds up to `round` (those `student` was trained on) whose labels it does not predict. */
function misfitRows(examples: readonly Example[], student: Student, round: number): Set<string> {
  const seen = examples.filter((e) => e.round <= round);
  const predictions = student.predictBatch(seen.map((e) => e.text));
  const out = new Set<string>();
  seen.forEach((e, i) => {
    if (!sameLabels(e.labels, predictions[i].labels)) out.add(e.id);
  });
  return out;
}
