/** The studio's JSON API, typed as the server answers it (src/studio/server/app.ts). */

/** Classification points carry accuracy and macro-F1, extraction points span F1 (src/studio/server/runs.ts). */
export interface CurvePoint {
  round: number;
  answers: number;
  dollars: number;
  accuracy?: number;
  macroF1?: number;
  f1?: number;
}

export interface RunItem {
  name: string;
  runId: string;
  task: string;
  status: 'running' | 'complete' | 'failed' | 'stale';
  startedAt: string;
  endedAt?: string;
  stopReason?: string;
  kind: 'classify' | 'extract';
  accuracy?: number;
  /** Extraction runs: span F1 (micro, exact). */
  f1?: number;
  answers: number;
  dollars: number;
  rounds: number;
  curve: CurvePoint[];
  live: boolean;
  /** Set on a retrained run: the run it was retrained from. */
  retrainOf?: string;
}

export interface Scores {
  accuracy: number;
  macroF1: number;
  n: number;
}

/** Span scores of a retrained extraction run (micro, exact span and type, on gold). */
export interface SpanRetrainScores {
  precision: number;
  recall: number;
  f1: number;
  n: number;
}

/** summary.retrain of a retrained run (src/run/retrain.ts; extraction: src/run/extract/retrain-extract.ts). */
export interface Retrain {
  of: string;
  before?: Scores | SpanRetrainScores;
  after: Scores | SpanRetrainScores;
  rows: number;
  human: number;
  unusable: number;
}

export interface StudioEvent {
  type: string;
  [k: string]: unknown;
}

export interface SpanScores {
  precision: number;
  recall: number;
  f1: number;
  /** Predicted spans that matched. */
  tp: number;
  predicted: number;
  gold: number;
}

/** summary.json of an extraction run (src/report/extract/types.ts), the fields the studio shows. */
export interface ExtractSummary {
  kind: 'extract';
  precision: number;
  recall: number;
  f1: number;
  partialF1: number;
  macroF1: number;
  perType: Record<string, SpanScores>;
  final: { split: string; n: number };
  teacher: { id: string; answers: number; dollars: number; rejected: number; requests: number };
  trainingRows: number;
  alignment: { spans: Record<string, number>; rejectedMentions: number; rejectedAnswers: number };
  human?: { rows: number; unusable: number };
  retrain?: Retrain;
}

export interface Span {
  start: number;
  end: number;
  type: string;
  text: string;
  status?: string;
}

export interface SpanRow {
  idx: number;
  text: string;
  spans: Span[];
  source: string;
  round: number;
  teacher: string;
  /** `human` rows: who set the spans in the studio. */
  reviewer?: string;
  uncertainty?: number;
  rejectedMentions?: { raw: string; reason: string }[];
}

/** A training text in an extraction run's review queue (src/studio/server/span-review.ts). */
export interface SpanQueueRow {
  idx: number;
  textId: string;
  text: string;
  spans: Span[];
  tokens: { start: number; end: number }[];
  source: string;
  round: number;
  teacher: string;
  predicted: (Span & { confidence: number })[] | null;
  confidence: number | null;
  disagree: boolean;
  correction: (Correction & { spans?: Span[] }) | null;
}

export interface SpanQueuePage {
  total: number;
  offset: number;
  types: string[];
  scoredBy: 'student' | null;
  rows: SpanQueueRow[];
}

/** The extraction playground's student on a text. */
export interface SpanPrediction {
  text: string;
  spans: (Span & { confidence: number })[];
  confidence: number;
}

export type SpanTeacherAnswers = TeacherReply<{
  text: string;
  spans: Span[] | null;
  rejectedMentions?: { raw: string; reason: string }[];
  rejected?: string;
  cached: boolean;
  dollars: number;
}>;

export interface SpanPage {
  total: number;
  offset: number;
  rows: SpanRow[];
  facets: { type: Record<string, number>; source: Record<string, number>; round: Record<string, number> };
  statuses: Record<string, number>;
}

export interface RunDetail extends RunItem {
  /** A classification summary, an extraction one (`kind: "extract"`), or none while running. */
  extract?: ExtractSummary;
  summary: {
    final: { accuracy: number; macroF1: number; n: number; split: string };
    teacher: { id: string; answers: number; dollars: number; rejected: number; requests: number };
    trainingRows: number;
    plan?: { answers: number; dollars?: { online: number } };
    human?: { rows: number; unusable: number };
    retrain?: Retrain;
  } | null;
  labels: string[];
  events: StudioEvent[];
  hasReport: boolean;
  hasStudent: boolean;
  info: { error?: { message: string; hint?: string } } | null;
}

export interface Correction {
  id: number;
  labels: string[];
  decision: 'accept' | 'relabel' | 'unusable';
  reviewer: string;
  at: string;
}

export interface Row {
  idx: number;
  textId: string;
  text: string;
  labels: string[];
  source: string;
  round: number;
  strategy: string;
  teacher: string;
  confidence: number | null;
  attributes: Record<string, string>;
  predicted: string[] | null;
  margin: number | null;
  probs: { label: string; p: number }[] | null;
  disagree: boolean;
  low: boolean;
  flagged: boolean;
  suggested: string[] | null;
  priority: number;
  correction: Correction | null;
}

export type Facets = Record<string, { value: string; rows: number }[]>;

export interface RowsPage {
  rows: Row[];
  total: number;
  offset: number;
  facets: Facets | null;
  hasStudent: boolean;
  /** What scored the rows: students that never saw them (out-of-fold), the run's own student, or none. */
  scoredBy: 'out-of-fold' | 'student' | null;
  outOfFold:
    | { state: 'done' }
    | { state: 'running'; done: number; folds: number }
    | { state: 'failed'; error: string }
    | { state: 'unavailable'; reason: string };
  ms: number;
}

/** An n-gram and what it added to one label's logit (value × weight). */
export interface WeightedFeature {
  feature: string;
  kind: 'word' | 'char';
  weight: number;
}

export interface Prediction {
  text: string;
  labels: string[];
  margin: number;
  probs: { label: string; p: number }[];
  /** Per likely label: logit = bias + the contributions of all `features` n-grams; the strongest each way. */
  explain:
    | {
        label: string;
        logit: number;
        bias: number;
        features: number;
        positive: WeightedFeature[];
        negative: WeightedFeature[];
      }[]
    | null;
}

/** What a run's teacher route answers, for either kind: each text's answer and what the ask cost. */
export interface TeacherReply<A> {
  teacher: string;
  answers: A[];
  /** Why the teacher stopped before every text was answered (budget, provider error). */
  stopped?: string;
  cost: { dollars: number; answers: number };
  spent: { dollars: number; answers: number; tokens: number };
  budget: { answers?: number; dollars?: number; tokens?: number };
  priced: boolean;
}

export type TeacherAnswers = TeacherReply<{
  text: string;
  labels: string[] | null;
  rejected?: string;
  cached: boolean;
  dollars: number;
}>;

export interface Plan {
  teacher: string;
  answers: number;
  requests: number;
  dollars?: { online: number; batch: number };
  wallSeconds: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: Record<string, unknown>,
  ) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) throw new ApiError(res.status, String(json.error ?? res.statusText), json);
  return json as T;
}

export const api = {
  runs: () => call<{ runs: RunItem[] }>('GET', '/api/runs'),
  run: (name: string) => call<RunDetail>('GET', `/api/runs/${encodeURIComponent(name)}`),
  spans: (name: string, params: URLSearchParams) =>
    call<SpanPage>('GET', `/api/runs/${encodeURIComponent(name)}/spans?${params}`),
  rows: (name: string, params: URLSearchParams) =>
    call<RowsPage>('GET', `/api/runs/${encodeURIComponent(name)}/rows?${params}`),
  confusion: (name: string) =>
    call<{ labels: string[]; cells: { label: string; pred: string; rows: number }[] }>(
      'GET',
      `/api/runs/${encodeURIComponent(name)}/confusion`,
    ),
  rejected: (name: string, offset: number) =>
    call<{ total: number; rows: { kind: string; round: number; input: string; raw: string; reason: string }[] }>(
      'GET',
      `/api/runs/${encodeURIComponent(name)}/rejected?offset=${offset}`,
    ),
  decide: (name: string, body: { textId: string; decision: string; labels: string[]; reviewer: string }) =>
    call<Correction>('POST', `/api/runs/${encodeURIComponent(name)}/corrections`, body),
  bulk: (name: string, body: { filter: Record<string, string>; decision: string; reviewer: string; expect: number }) =>
    call<{ count: number }>('POST', `/api/runs/${encodeURIComponent(name)}/corrections/bulk`, body),
  undo: (name: string, reviewer: string) =>
    call<{ undone: { textId: string }[] }>('POST', `/api/runs/${encodeURIComponent(name)}/corrections/undo`, {
      reviewer,
    }),
  plan: (taskFile: string) => call<{ task: string; teacher: string; plan: Plan }>('POST', '/api/plan', { taskFile }),
  start: (taskFile: string, confirm: boolean) => call<{ name: string }>('POST', '/api/runs', { taskFile, confirm }),
  stop: (name: string) => call<unknown>('POST', `/api/runs/${encodeURIComponent(name)}/stop`),
  retrain: (name: string) =>
    call<{ name: string; retrain: Retrain }>('POST', `/api/runs/${encodeURIComponent(name)}/retrain`),
  spanReview: (name: string, offset: number, limit: number) =>
    call<SpanQueuePage>('GET', `/api/runs/${encodeURIComponent(name)}/span-review?offset=${offset}&limit=${limit}`),
  spanDecide: (
    name: string,
    body: { textId: string; decision: string; spans: { start: number; end: number; type: string }[]; reviewer: string },
  ) => call<Correction & { spans?: Span[] }>('POST', `/api/runs/${encodeURIComponent(name)}/span-corrections`, body),
  predictSpans: (name: string, texts: string[]) =>
    call<{ predictions: SpanPrediction[] }>('POST', `/api/runs/${encodeURIComponent(name)}/predict`, { texts }),
  spanTeacher: (name: string, texts: string[]) =>
    call<SpanTeacherAnswers>('POST', `/api/runs/${encodeURIComponent(name)}/teacher`, { texts }),
  predict: (name: string, texts: string[]) =>
    call<{ predictions: Prediction[] }>('POST', `/api/runs/${encodeURIComponent(name)}/predict`, { texts }),
  teacher: (name: string, texts: string[]) =>
    call<TeacherAnswers>('POST', `/api/runs/${encodeURIComponent(name)}/teacher`, { texts }),
};
