import { resolve } from 'node:path';
import type { LabeledText } from '../core/types.js';
import { LabeledIndex } from '../read/labeled-index.js';
import { normalizeText } from '../read/read-records.js';
import { ConfigError, TeacherOutputError } from '../errors.js';
import type { TeacherSettings } from '../task/schema.js';
import { sha256, textId } from '../util/hash.js';
import { Rng } from '../util/random.js';
import type { CallGate } from './call-gate.js';
import { clusterLabelRows, type TextClusters } from '../text/clusters.js';
import { labelCentroids, mostSimilarLabels } from '../text/label-similarity.js';
import { textVector } from '../text/text-vector.js';
import { type Centroid, cosine, type SparseVector } from '../text/vector.js';
import type {
  GenerateRequest,
  GenerateResult,
  Guidance,
  LabelInput,
  LabelResult,
  Teacher,
  TeacherTaskContext,
} from './types.js';

export interface DatasetTeacherContext {
  task: TeacherTaskContext;
  gate: CallGate;
  /** Directory a relative `dataset:` path resolves against (default: the current directory). */
  taskDir?: string;
  /** Run seed: which answers are made wrong and the order rows are handed out in. */
  seed?: number;
}

/** Share of wrong answers drawn from the labels most like the true one; the rest are uniform. */
const SIMILAR_SHARE = 0.8;
const SIMILAR_COUNT = 3;
const FREE = { inputTokens: 0, maxOutputTokens: 0 };
/**
 * Unused rows of a label scored against guidance per request: the first ones in the label's seeded
 * order (a random sample of them). Scoring every row of the label read and featurized a file as
 * large as the pool on every request; a label with no more unused rows is scored whole, as before.
 */
const MAX_SCORED = 2000;
/**
 * Rows per label the label centroids are fitted on, when some label has more: the first ones in
 * each label's seeded order. A file with no label over it is read whole, as before.
 */
const CENTROID_ROWS = 1000;

/**
 * A teacher that answers from a labeled file: a free, offline stand-in for an LLM, and a way to
 * measure the loop against known labels. It labels a text with the file's label for it (optionally
 * with LLM-like mistakes) and "writes" examples by handing out unused rows of the asked-for label.
 */
export function createDatasetTeacher(settings: TeacherSettings, ctx: DatasetTeacherContext): Teacher {
  return new DatasetTeacher(settings, ctx);
}

class DatasetTeacher implements Teacher {
  readonly id: string;
  readonly kind = 'dataset' as const;
  /** One request at a time: what it hands out depends on what it handed out before. */
  readonly concurrency = 1;
  get rejectionHint(): string {
    return `give a pool whose texts are in the dataset file (${this.id}), or a dataset file that covers the pool`;
  }
  private readonly file: string;
  private readonly hash: string;
  /** The labeled file, on disk: a file as large as the pool is not held in memory. */
  private readonly data: LabeledIndex;
  private readonly names: string[];
  private readonly seed: number;
  private readonly noise: number;
  /** Texts the run has received, through label() or generate(): never handed out again. */
  private readonly used = new Set<string>();
  /** Row ids of the used texts (one each at most: the file's rows are unique by normalized text). */
  private readonly usedIds = new Set<number>();
  private readonly handedOut = new Map<string, number>();
  /** Per label, its row ids in the seeded order. */
  private readonly orders = new Map<string, number[]>();
  private centroidCache?: Map<string, Centroid>;
  private readonly similarCache = new Map<string, string[]>();
  private clusterCache?: TextClusters;

  constructor(
    private readonly settings: TeacherSettings,
    private readonly ctx: DatasetTeacherContext,
  ) {
    if (!settings.model.startsWith('dataset:') || settings.model.length === 'dataset:'.length) {
      throw new ConfigError(`the dataset teacher needs \`dataset:<labeled file>\`, got \`${settings.model}\``, {
        field: 'teacher.model',
        hint: 'e.g. `model: dataset:./labeled.jsonl`',
      });
    }
    this.file = resolve(ctx.taskDir ?? process.cwd(), settings.model.slice('dataset:'.length));
    this.id = `dataset:${this.file}`;
    this.names = ctx.task.labels.map((l) => l.name);
    this.data = LabeledIndex.build(this.file, { allowedLabels: this.names, multiLabel: ctx.task.multiLabel });
    this.hash = this.data.hash;
    this.seed = ctx.seed ?? 0;
    this.noise = settings.noise;
  }

  async label(inputs: LabelInput[]): Promise<LabelResult[]> {
    const out: LabelResult[] = [];
    // One batch at a time, in order: the gate's occurrence index, and so the cache key, follows call order.
    for (let start = 0; start < inputs.length; start += this.settings.batchSize) {
      const batch = inputs.slice(start, start + this.settings.batchSize);
      const { body } = await this.ctx.gate.run({
        request: {
          op: 'label',
          file: this.hash,
          labels: this.names,
          items: batch.map((b) => [b.id, b.text]),
          noise: this.noise,
          seed: this.seed,
        },
        kind: 'label',
        answers: batch.length,
        estimate: FREE,
        execute: async () => ({
          body: batch.map((b) => this.answer(b)),
          inputTokens: 0,
          outputTokens: 0,
          httpRequests: 0,
          paidRequests: 0,
        }),
      });
      if (!Array.isArray(body) || body.length !== batch.length) {
        throw new TeacherOutputError(
          `cached dataset answer has ${Array.isArray(body) ? body.length : 'no'} results for ${batch.length} inputs`,
          JSON.stringify(body),
          {
            hint: 'the teacher cache looks corrupt; delete it (.apprentice/cache.sqlite) and run again',
          },
        );
      }
      for (const b of batch) this.markUsed(b.text);
      out.push(...(body as LabelResult[]));
    }
    return out;
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const { label, n } = request;
    const guidance = request.guidance ?? {};
    if (!this.names.includes(label)) {
      throw new RangeError(`cannot generate examples for "${label}": it is not one of the task's labels`);
    }
    const pick = this.select(label, n, guidance);
    if (pick.length === 0) return { label, texts: [], rejected: [], answers: 0 };
    const handedOut = this.handedOut.get(label) ?? 0;
    const { body } = await this.ctx.gate.run({
      // The picked ids make the key follow the teacher's state, so a cached answer always matches it.
      request: {
        op: 'generate',
        file: this.hash,
        label,
        guidance,
        n,
        handedOut,
        seed: this.seed,
        pick: pick.map((r) => textId(r.text)),
      },
      kind: 'generate',
      answers: pick.length,
      estimate: FREE,
      execute: async () => ({
        body: { texts: pick.map((r) => r.text) },
        inputTokens: 0,
        outputTokens: 0,
        httpRequests: 0,
        paidRequests: 0,
      }),
    });
    const texts = (body as { texts?: unknown }).texts;
    if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string')) {
      throw new TeacherOutputError('cached dataset answer is not a list of texts', JSON.stringify(body), {
        hint: 'the teacher cache looks corrupt; delete it (.apprentice/cache.sqlite) and run again',
      });
    }
    for (const t of texts as string[]) this.markUsed(t);
    this.handedOut.set(label, handedOut + texts.length);
    return { label, texts: texts as string[], rejected: [], answers: pick.length };
  }

  private markUsed(text: string): void {
    const key = normalizeText(text);
    if (this.used.has(key)) return;
    this.used.add(key);
    const row = this.data.find(key);
    if (row) this.usedIds.add(row.id);
  }

  private answer(input: LabelInput): LabelResult {
    const key = normalizeText(input.text);
    const row = this.data.find(key);
    if (!row) return { id: input.id, ok: false, raw: '', reason: 'text not in dataset file' };
    if (this.noise > 0) {
      // Per text, not per call: like an LLM at temperature 0, the same text always gets the same answer.
      const digest = sha256(`${this.seed}\u0000${key}`);
      if (parseInt(digest.slice(0, 8), 16) / 2 ** 32 < this.noise) {
        return {
          id: input.id,
          ok: true,
          labels: this.mistake(row.labels, new Rng(parseInt(digest.slice(8, 16), 16))),
          confidence: 1,
        };
      }
    }
    return { id: input.id, ok: true, labels: [...row.labels], confidence: 1 };
  }

  /** A wrong answer shaped like an LLM's: usually a label close to the true one. */
  private mistake(truth: string[], rng: Rng): string[] {
    const wrongFor = (label: string | undefined, exclude: string[]): string | undefined => {
      const similar = label === undefined ? [] : this.similar(label).filter((l) => !exclude.includes(l));
      const others = this.names.filter((l) => !exclude.includes(l));
      const from = similar.length > 0 && rng.next() < SIMILAR_SHARE ? similar : others;
      return from.length > 0 ? from[rng.int(from.length)] : undefined;
    };
    if (truth.length === 0) {
      const added = wrongFor(undefined, []);
      return added === undefined ? [] : [added];
    }
    const i = rng.int(truth.length);
    const replacement = wrongFor(truth[i], truth);
    const wrong = truth.filter((_, k) => k !== i);
    if (replacement !== undefined) wrong.splice(i, 0, replacement);
    return wrong;
  }

  private similar(label: string): string[] {
    let hit = this.similarCache.get(label);
    if (!hit) {
      hit = mostSimilarLabels(this.centroids(), label, SIMILAR_COUNT).map((s) => s.label);
      this.similarCache.set(label, hit);
    }
    return hit;
  }

  /** Computed on first need: a noise-free run that never asks for hard negatives does not pay for it. */
  private centroids(): Map<string, Centroid> {
    this.centroidCache ??= labelCentroids(this.centroidRows());
    return this.centroidCache;
  }

  /** Every row in file order or, when some label has more than CENTROID_ROWS, each label's sample of them. */
  private *centroidRows(): Generator<LabeledText> {
    const labels = this.data.labels();
    const counts = labels.map((l) => this.orderFor(l).length);
    if (counts.every((n) => n <= CENTROID_ROWS)) {
      yield* this.data.rows();
      return;
    }
    const ids = new Set<number>();
    for (const label of labels) for (const id of this.orderFor(label).slice(0, CENTROID_ROWS)) ids.add(id);
    const sorted = [...ids].sort((a, b) => a - b);
    for (let i = 0; i < sorted.length; i += 1000) yield* this.data.rowsAt(sorted.slice(i, i + 1000));
  }

  /** The file's per-label clusters, seeded by the run seed; computed on first need. */
  clusters(): TextClusters {
    // One label's row ids at a time, from the label table: the clusters fit on a sample of each
    // label's rows, read by id, so the file is never read whole.
    const data = this.data;
    this.clusterCache ??= clusterLabelRows(
      (function* (): Generator<[string, number[]]> {
        for (const label of data.labels()) yield [label, data.idsWithLabel(label)];
      })(),
      { seed: this.seed, vectorOf: (i) => textVector(data.rowsAt([i])[0].text) },
    );
    return this.clusterCache;
  }

  /**
   * Unused rows of `label`, in the seeded order, or, when guidance names a target, nearest to it
   * first: the `confusedWith` label's centroid, the asked cluster's centroid, the closest anchor.
   */
  private select(label: string, n: number, guidance: Guidance): LabeledText[] {
    if (n <= 0) return [];
    const scorers = this.scorers(label, guidance);
    // Used rows are few (the budget bounds them), so this walks at most them and `limit` more.
    const limit = scorers.length === 0 ? n : Math.max(n, MAX_SCORED);
    const candidates: number[] = [];
    for (const id of this.orderFor(label)) {
      if (candidates.length >= limit) break;
      if (!this.usedIds.has(id)) candidates.push(id);
    }
    if (scorers.length === 0) return this.data.rowsAt(candidates);
    const scored = this.data.rowsAt(candidates).map((row, rank) => {
      const v = textVector(row.text);
      return { row, rank, score: scorers.reduce((sum, f) => sum + f(v), 0) };
    });
    scored.sort((a, b) => b.score - a.score || a.rank - b.rank);
    return scored.slice(0, n).map((s) => s.row);
  }

  private scorers(label: string, guidance: Guidance): ((v: SparseVector) => number)[] {
    const out: ((v: SparseVector) => number)[] = [];
    const { confusedWith } = guidance;
    const confused =
      confusedWith !== undefined && confusedWith !== label ? this.centroids().get(confusedWith) : undefined;
    if (confused) out.push((v) => cosine(v, confused));
    const clusterName = guidance.attributes?.cluster;
    // Clustering a large file costs a pass over it: only done once some guidance names a cluster.
    const cluster = clusterName !== undefined ? this.clusters().get(clusterName) : undefined;
    if (cluster && cluster.label === label) out.push((v) => cosine(v, cluster.centroid));
    const anchors = (guidance.anchors ?? []).map((t) => textVector(t));
    if (anchors.length) out.push((v) => Math.max(...anchors.map((a) => cosine(v, a))));
    return out;
  }

  private orderFor(label: string): number[] {
    let order = this.orders.get(label);
    if (!order) {
      const rows = this.data.withLabel(label);
      const rng = new Rng(this.seed ^ parseInt(sha256(label).slice(0, 8), 16));
      rng.shuffle(rows);
      // The loop records a generated text under the asked-for label alone, so rows that carry only
      // that label come first in a multi-label file.
      order = [...rows.filter((r) => r.n === 1), ...rows.filter((r) => r.n !== 1)].map((r) => r.id);
      this.orders.set(label, order);
    }
    return order;
  }
}
