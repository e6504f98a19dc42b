/** Validation error rate of the student on rows sharing one attribute value. */
export interface SkillEntry {
  attribute: string;
  value: string;
  /** Set when the value only makes sense within one label (clusters of a label's texts). */
  label?: string;
  errorRate: number;
  support: number;
}

/** The student's skills after one round: error rate per attribute value, worst first. */
export interface SkillProfile {
  round: number;
  entries: SkillEntry[];
}
