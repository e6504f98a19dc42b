import { resolve } from 'node:path';
import { ConfigError, TeacherOutputError } from '../../errors.js';
import { normalizeText } from '../../read/read-records.js';
import type { TeacherSettings } from '../../task/schema.js';
import type { CallGate } from '../../teacher/call-gate.js';
import type {
  ExtractGenerateRequest,
  ExtractGenerateResult,
  ExtractInput,
  ExtractOptions,
  ExtractResult,
  ExtractTeacher,
  GeneratedExample,
  TeacherSpan,
} from '../../teacher/extract/types.js';
import { tokenizeWithOffsets } from '../../text/spans/tokenize.js';
import type { SpanExample, TokenOffsets } from '../../text/spans/types.js';
import { sha256, textId } from '../../util/hash.js';
import { Rng } from '../../util/random.js';
import { readSpanFile } from './read-spans.js';

const FREE = { inputTokens: 0, maxOutputTokens: 0 };

export interface SpanNoise {
  missed: number;
  wrongType: number;
  boundary: number;
}

/** `teacher.spanNoise`, else `teacher.noise` shared equally among the three mistakes. */
export function spanNoiseOf(settings: TeacherSettings): SpanNoise {
  if (settings.spanNoise) return settings.spanNoise;
  const each = settings.noise / 3;
  return { missed: each, wrongType: each, boundary: each };
}

/**
 * An extraction teacher that answers from a labeled file in any of the extraction shapes (CoNLL,
 * entity JSONL, attribute JSONL): free, offline, and a way to measure the loop against known spans.
 * The file is held in memory, keyed by normalized text; unlike the classification dataset teacher
 * (src/read/labeled-index.ts, on disk) it does not scale to files larger than memory — extraction
 * sets are sentences or product titles, thousands to tens of thousands of rows. Its answers can carry
 * the mistakes LLM annotators make (missed spans, wrong type, boundary off by a token), drawn per
 * text from the run seed, so the same run gets the same mistakes.
 */
export class DatasetExtractTeacher implements ExtractTeacher {
  readonly id: string;
  readonly kind = 'dataset' as const;
  readonly concurrency = 1;
  readonly file: string;
  readonly types: readonly string[];
  private readonly hash: string;
  private readonly byText = new Map<string, SpanExample>();
  private readonly noise: SpanNoise;
  /** Samples drawn so far per text id at a temperature above 0 (self-consistency, second opinions). */
  private readonly samples = new Map<string, number>();
  /** The file's rows, unique by normalized text, in file order. */
  private readonly rows: SpanExample[] = [];
  /** Normalized texts the run has received, through extract() or generate(): never handed out by generate(). */
  private readonly used = new Set<string>();
  /** Per generation aim, the file's row positions in a seeded order. */
  private readonly orders = new Map<string, number[]>();

  constructor(
    private readonly settings: TeacherSettings,
    private readonly ctx: { gate: CallGate; types: readonly string[]; taskDir?: string; seed?: number },
  ) {
    const rel = settings.model.startsWith('dataset:') ? settings.model.slice('dataset:'.length).trim() : '';
    if (rel === '')
      throw new ConfigError(`the dataset teacher needs \`dataset:<labeled file>\`, got \`${settings.model}\``, {
        field: 'teacher.model',
        hint: 'e.g. `model: dataset:./train.conll`',
      });
    this.file = resolve(ctx.taskDir ?? process.cwd(), rel);
    this.id = `dataset:${this.file}`;
    const read = readSpanFile(this.file, { allowedTypes: ctx.types });
    this.hash = read.hash;
    this.types = ctx.types;
    for (const ex of read.examples) {
      const key = normalizeText(ex.text);
      if (this.byText.has(key)) continue;
      this.byText.set(key, ex);
      this.rows.push(ex);
    }
    this.noise = spanNoiseOf(settings);
  }

  get rejectionHint(): string {
    return `give a pool whose texts are in the dataset file (${this.file}), or a dataset file that covers the pool`;
  }

  /** The file's rows, for a caller that uses the file as its pool too (`init --from-dataset`). */
  size(): number {
    return this.byText.size;
  }

  /**
   * At a temperature above 0 every call is a fresh sample, as with an LLM: the noise of the n-th
   * sample of a text is drawn from (seed, text, n), so samples disagree where the noise strikes and
   * a re-run draws the same ones. At the default the same text always gets the same answer.
   */
  async extract(inputs: ExtractInput[], options: ExtractOptions = {}): Promise<ExtractResult[]> {
    const fresh = (options.temperature ?? 0) > 0;
    const out: ExtractResult[] = [];
    for (let start = 0; start < inputs.length; start += this.settings.batchSize) {
      const batch = inputs.slice(start, start + this.settings.batchSize);
      const sample = batch.map((b) => (fresh ? this.nextSample(b.id) : 0));
      const { body } = await this.ctx.gate.run({
        request: {
          op: 'extract',
          file: this.hash,
          types: this.types,
          items: batch.map((b) => [b.id, b.text]),
          noise: this.noise,
          seed: this.ctx.seed ?? 0,
          ...(fresh ? { samples: sample } : {}),
        },
        kind: 'label',
        answers: batch.length,
        estimate: FREE,
        execute: async () => ({
          body: batch.map((b, i) => this.answer(b, sample[i])),
          inputTokens: 0,
          outputTokens: 0,
          httpRequests: 0,
          paidRequests: 0,
        }),
      });
      if (!Array.isArray(body) || body.length !== batch.length)
        throw new TeacherOutputError(
          `cached dataset answer has ${Array.isArray(body) ? body.length : 'no'} results for ${batch.length} inputs`,
          JSON.stringify(body),
          { hint: 'the teacher cache looks corrupt; delete it (.apprentice/cache.sqlite) and run again' },
        );
      out.push(...(body as ExtractResult[]));
      for (const b of batch) this.used.add(normalizeText(b.text));
    }
    return out;
  }

  /**
   * Unused rows of the file aimed at the request, charged one answer per row handed out (fewer than
   * `n` when the file runs out of such rows): with `type`, rows with a gold mention of it; with
   * `type` and `confusedWith` (hard negatives for a pair the student confuses), rows where both
   * types occur first — the student sees the two told apart in one context —, then rows with either
   * one; with `entityFree`, rows with no mention at all. Rows come in a seeded order per aim, with
   * the same noise as `extract`. A row the run has already received (asked about, or handed out
   * before) is never handed out again; the loop's dedup and leakage guard check the rest.
   */
  async generate(request: ExtractGenerateRequest): Promise<ExtractGenerateResult> {
    const n = Math.max(0, Math.floor(request.n));
    for (const t of [request.type, request.confusedWith])
      if (t !== undefined && !this.types.includes(t))
        throw new RangeError(`cannot generate texts for "${t}": it is not one of the task's types`);
    if (!request.entityFree && request.type === undefined)
      throw new RangeError('a generation request needs a `type` or `entityFree`');
    const aim = aimOf(request);
    const pick: SpanExample[] = [];
    for (const at of this.orderFor(aim)) {
      if (pick.length >= n) break;
      const row = this.rows[at];
      if (!this.used.has(normalizeText(row.text))) pick.push(row);
    }
    if (pick.length === 0) return { examples: [], rejected: [], answers: 0 };
    const { body } = await this.ctx.gate.run({
      // The picked rows make the key follow the teacher's state, so a cached answer always matches it.
      request: {
        op: 'extract-generate',
        file: this.hash,
        types: this.types,
        aim,
        n,
        noise: this.noise,
        seed: this.ctx.seed ?? 0,
        pick: pick.map((r) => sha256(r.text)),
      },
      kind: 'generate',
      answers: pick.length,
      estimate: FREE,
      execute: async () => ({
        body: pick.map((row) => this.handOut(row)),
        inputTokens: 0,
        outputTokens: 0,
        httpRequests: 0,
        paidRequests: 0,
      }),
    });
    if (!Array.isArray(body) || body.length !== pick.length)
      throw new TeacherOutputError(
        'cached dataset generation is not one example per row picked',
        JSON.stringify(body),
        {
          hint: 'the teacher cache looks corrupt; delete it (.apprentice/cache.sqlite) and run again',
        },
      );
    const examples = body as GeneratedExample[];
    for (const e of examples) this.used.add(normalizeText(e.text));
    return { examples, rejected: [], answers: pick.length };
  }

  setAside(texts: readonly string[]): void {
    for (const t of texts) this.used.add(normalizeText(t));
  }

  private orderFor(aim: string): number[] {
    let order = this.orders.get(aim);
    if (order) return order;
    const [kind, a, b] = aim.split('\u0000');
    const has = (row: SpanExample, t: string) => row.spans.some((s) => s.type === t);
    const all = this.rows.map((_, i) => i);
    new Rng(seedFor(this.ctx.seed ?? 0, aim)).shuffle(all);
    if (kind === 'free') order = all.filter((i) => this.rows[i].spans.length === 0);
    else if (kind === 'type') order = all.filter((i) => has(this.rows[i], a));
    else {
      const both = all.filter((i) => has(this.rows[i], a) && has(this.rows[i], b));
      const either = all.filter((i) => has(this.rows[i], a) !== has(this.rows[i], b));
      order = [...both, ...either];
    }
    this.orders.set(aim, order);
    return order;
  }

  private handOut(row: SpanExample): GeneratedExample {
    // The id the loop gives a pool text, so a row draws the same noise whether asked or handed out.
    const id = textId(row.text);
    const result = this.answer({ id, text: row.text }, 0);
    if (!result.ok) throw new Error('unreachable: a row of the file is always in the file');
    return {
      text: row.text,
      spans: result.spans,
      rejected: [],
      ...(result.tokens ? { tokens: result.tokens } : {}),
    };
  }

  private nextSample(id: string): number {
    const n = (this.samples.get(id) ?? 0) + 1;
    this.samples.set(id, n);
    return n;
  }

  private answer(input: ExtractInput, sample: number): ExtractResult {
    const ex = this.byText.get(normalizeText(input.text));
    if (!ex) return { id: input.id, ok: false, raw: input.text, reason: 'text not in the dataset file' };
    // Offsets are the file's; the asked text may differ in outer whitespace only.
    if (ex.text !== input.text)
      return { id: input.id, ok: false, raw: input.text, reason: 'text differs from the dataset row in whitespace' };
    const tokens = ex.tokens ?? tokenizeWithOffsets(ex.text);
    const rng = new Rng(seedFor(this.ctx.seed ?? 0, sample > 0 ? `${input.id}#${sample}` : input.id));
    const spans = noisy(ex, tokens, this.types, this.noise, rng);
    return { id: input.id, ok: true, spans, rejected: [], ...(ex.tokens ? { tokens: ex.tokens } : {}) };
  }
}

/** What a request aims at, as a key: `free`, `type␀t`, or `pair␀t␀confusedWith`. */
function aimOf(request: ExtractGenerateRequest): string {
  if (request.entityFree) return 'free';
  if (request.confusedWith !== undefined && request.confusedWith !== request.type)
    return ['pair', request.type, request.confusedWith].join('\u0000');
  return ['type', request.type].join('\u0000');
}

function seedFor(seed: number, id: string): number {
  return Number.parseInt(sha256(`${seed}:${id}`).slice(0, 8), 16);
}

/** The gold spans with the LLM-shaped mistakes drawn; a changed span still sits on token boundaries. */
function noisy(
  ex: SpanExample,
  tokens: readonly TokenOffsets[],
  types: readonly string[],
  noise: SpanNoise,
  rng: Rng,
): TeacherSpan[] {
  const out: TeacherSpan[] = [];
  for (const s of ex.spans) {
    if (rng.next() < noise.missed) continue;
    let { start, end, type } = s;
    if (types.length > 1 && rng.next() < noise.wrongType) {
      const others = types.filter((t) => t !== type);
      type = others[rng.int(others.length)];
    }
    if (rng.next() < noise.boundary) [start, end] = shifted(tokens, start, end, rng);
    out.push({ start, end, type, text: ex.text.slice(start, end), status: 'gold' });
  }
  // A widened span may now touch its neighbour: keep spans flat, the earlier one wins.
  out.sort((a, b) => a.start - b.start);
  return out.filter((s, i) => i === 0 || out[i - 1].end <= s.start);
}

/** Boundary error: one token more or less at one end (never empty). */
function shifted(tokens: readonly TokenOffsets[], start: number, end: number, rng: Rng): [number, number] {
  const first = tokens.findIndex((t) => t.start === start);
  const last = tokens.findIndex((t) => t.end === end);
  if (first < 0 || last < 0) return [start, end];
  const moves: [number, number][] = [];
  if (first > 0) moves.push([first - 1, last]);
  if (last + 1 < tokens.length) moves.push([first, last + 1]);
  if (last > first) moves.push([first + 1, last], [first, last - 1]);
  if (moves.length === 0) return [start, end];
  const [f, l] = moves[rng.int(moves.length)];
  return [tokens[f].start, tokens[l].end];
}
