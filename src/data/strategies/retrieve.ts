import { readTexts } from '../../read/read-texts.js';
import type { Task } from '../../task/schema.js';
import { DIMENSIONS, textVector } from '../../text/text-vector.js';
import { type Centroid, cosine, type SparseVector } from '../../text/vector.js';
import { textId } from '../../util/hash.js';
import type { CandidateRow } from '../candidate.js';
import type { RejectedRow } from '../example.js';
import { emptyOutput, taskLabels } from './common.js';
import type { GenerationStrategy, StrategyContext, StrategyOutput } from './types.js';

/** Corpus texts scored per round: a random sample beyond this, so a huge corpus stays cheap. */
const MAX_SCORED = 20_000;
/** Known rows per label that shape its profile: the most recent, so it follows the training set. */
const PROFILE_ROWS = 200;
/** How much the instruction's words count next to the labels' own texts. */
const INSTRUCTION_WEIGHT = 0.25;
/** Picked texts this alike are near-copies: one of them is enough per round. */
const NEAR_COPY = 0.9;

interface Corpus {
  texts: string[];
  vectors: SparseVector[];
  idf: Float64Array;
}

/**
 * Texts from an outside corpus (`data.retrieveFrom`), ranked by how much they look like the task
 * (each label's known texts, its name and description, and the instruction) and labeled by the
 * teacher. Weak labels' profiles count more. Texts the training set has, or that this strategy has
 * already sent, are skipped; the rows enter as pool rows, since the teacher labeled real texts.
 */
export class RetrieveStrategy implements GenerationStrategy {
  readonly name = 'retrieve';
  private corpus?: Corpus;
  private readonly sent = new Set<string>();

  constructor(private readonly file: string | undefined) {}

  static fromTask(task: Task): RetrieveStrategy {
    return new RetrieveStrategy(task.data.retrieveFrom);
  }

  async produce(ctx: StrategyContext, answers: number): Promise<StrategyOutput> {
    const k = Math.floor(answers);
    if (k < 1 || !this.file) return emptyOutput();
    this.corpus ??= loadCorpus(this.file);
    const texts = this.rank(ctx, k);
    if (texts.length === 0) return emptyOutput();
    for (const t of texts) this.sent.add(t);

    const results = await ctx.teacher.label(texts.map((text) => ({ id: textId(text), text })));
    const rows: CandidateRow[] = [];
    const rejected: RejectedRow[] = [];
    results.forEach((r, i) => {
      if (r.ok) {
        rows.push({
          text: texts[i],
          labels: r.labels,
          source: 'pool',
          strategy: this.name,
          ...(r.confidence !== undefined ? { confidence: r.confidence } : {}),
        });
      } else {
        rejected.push({
          kind: 'label',
          round: ctx.round,
          teacher: ctx.teacher.id,
          input: texts[i],
          raw: r.raw,
          reason: r.reason,
        });
      }
    });
    return { rows, rejected, answers: texts.length };
  }

  /** The `k` most relevant unseen corpus texts, near-copies of each other skipped. */
  private rank(ctx: StrategyContext, k: number): string[] {
    const corpus = this.corpus!;
    let candidates: number[] = [];
    for (let i = 0; i < corpus.texts.length; i++) {
      if (!this.sent.has(corpus.texts[i]) && !ctx.known.has(corpus.texts[i])) candidates.push(i);
    }
    if (candidates.length > MAX_SCORED) candidates = ctx.rng.sample(candidates, MAX_SCORED);
    const profiles = labelProfiles(ctx, corpus.idf);
    const instruction = weighted(textVector(ctx.task.instruction), corpus.idf);
    const scored = candidates.map((i) => {
      const v = corpus.vectors[i];
      let best = 0;
      for (const p of profiles) best = Math.max(best, p.weight * cosine(v, p.centroid));
      return { i, score: best + INSTRUCTION_WEIGHT * cosine(v, instruction) };
    });
    scored.sort((a, b) => b.score - a.score || a.i - b.i);
    const picked: number[] = [];
    for (const s of scored) {
      if (picked.length >= k) break;
      const v = corpus.vectors[s.i];
      if (picked.some((j) => cosine(v, corpus.vectors[j]) >= NEAR_COPY)) continue;
      picked.push(s.i);
    }
    return picked.map((i) => corpus.texts[i]);
  }
}

function loadCorpus(file: string): Corpus {
  const texts = readTexts(file).rows;
  const raw = texts.map((t) => textVector(t));
  // Inverse document frequency over the corpus: words every text has say nothing about relevance.
  const df = new Float64Array(DIMENSIONS);
  for (const v of raw) for (const k of v.keys()) df[k]++;
  const idf = df.map((d) => Math.log((1 + texts.length) / (1 + d)));
  return { texts, vectors: raw.map((v) => weighted(v, idf)), idf };
}

/** `v` with each feature scaled by its idf, L2-normalized again. */
function weighted(v: SparseVector, idf: Float64Array): SparseVector {
  const out: SparseVector = new Map();
  let norm = 0;
  for (const [k, x] of v) {
    const y = x * idf[k];
    out.set(k, y);
    norm += y * y;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [k, y] of out) out.set(k, y / norm);
  return out;
}

/**
 * One dense profile per label: its name and description plus its most recent known texts. A
 * diagnosed weak label weighs up to twice as much, so its look-alikes rank first.
 */
function labelProfiles(
  ctx: StrategyContext,
  idf: Float64Array,
): { label: string; weight: number; centroid: Centroid }[] {
  const f1 = new Map(ctx.weaknesses.weakest.map((w) => [w.label, w.f1]));
  const byLabel = new Map<string, string[]>();
  for (let i = ctx.known.rows.length - 1; i >= 0; i--) {
    for (const label of ctx.known.rows[i].labels) {
      const list = byLabel.get(label) ?? [];
      if (list.length < PROFILE_ROWS) list.push(ctx.known.rows[i].text);
      byLabel.set(label, list);
    }
  }
  for (const s of ctx.known.seeds)
    for (const label of s.labels) byLabel.set(label, [...(byLabel.get(label) ?? []), s.text]);
  return taskLabels(ctx).map((label) => {
    const def = ctx.task.labels.find((l) => l.name === label)!;
    const texts = [[label.replace(/[_-]+/g, ' '), def.description ?? ''].join(' '), ...(byLabel.get(label) ?? [])];
    const centroid = new Float32Array(DIMENSIONS);
    for (const t of texts) for (const [k, x] of weighted(textVector(t), idf)) centroid[k] += x;
    let norm = 0;
    for (let k = 0; k < DIMENSIONS; k++) norm += centroid[k] * centroid[k];
    norm = Math.sqrt(norm) || 1;
    for (let k = 0; k < DIMENSIONS; k++) centroid[k] /= norm;
    const weakness = f1.has(label) ? 1 - Math.min(1, Math.max(0, f1.get(label)!)) : 0;
    return { label, weight: 1 + weakness, centroid };
  });
}
