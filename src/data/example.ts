/** Where a training row came from. Every row the student sees carries this. */
export type Source = 'seed' | 'pool' | 'generated' | 'human';

export interface Provenance {
  source: Source;
  /** Loop round in which the row was acquired (0 = initial). */
  round: number;
  /** Teacher id (`openai:gpt-4o-mini`, `dataset:/path/file.jsonl`), `user` for seeds, `human` for studio corrections. */
  teacher: string;
  /** With source `human`: the reviewer who labeled the row in the studio. */
  reviewer?: string;
  /** Teacher's confidence in the label, 0..1, when known (self-consistency, dataset teacher = 1). */
  confidence?: number;
  /** Free attributes (generation strategy, guidance, attribute values) for later analysis. */
  attributes?: Record<string, string>;
}

export interface Example extends Provenance {
  /** Stable id: a hash of the normalized text. */
  id: string;
  text: string;
  /** One label for single-label tasks; zero or more for multi-label. */
  labels: string[];
}

/** A teacher answer we could not use. Kept with its raw text and counted, never silently dropped. */
export interface RejectedRow {
  kind: 'label' | 'generate';
  round: number;
  teacher: string;
  /** The input that was being labeled, or the label that was being generated for. */
  input: string;
  raw: string;
  reason: string;
}
