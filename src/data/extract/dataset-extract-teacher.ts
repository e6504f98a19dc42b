import { resolve } from 'node:path';
import { ConfigError, TeacherOutputError } from '../../errors.js';
import { normalizeText } from '../../read/read-records.js';
import type { TeacherSettings } from '../../task/schema.js';
import type { CallGate } from '../../teacher/call-gate.js';
import type { ExtractInput, ExtractResult, ExtractTeacher, TeacherSpan } from '../../teacher/extract/types.js';
import { tokenizeWithOffsets } from '../../text/spans/tokenize.js';
import type { SpanExample, TokenOffsets } from '../../text/spans/types.js';
import { sha256 } from '../../util/hash.js';
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
      if (!this.byText.has(key)) this.byText.set(key, ex);
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

  async extract(inputs: ExtractInput[]): Promise<ExtractResult[]> {
    const out: ExtractResult[] = [];
    for (let start = 0; start < inputs.length; start += this.settings.batchSize) {
      const batch = inputs.slice(start, start + this.settings.batchSize);
      const { body } = await this.ctx.gate.run({
        request: {
          op: 'extract',
          file: this.hash,
          types: this.types,
          items: batch.map((b) => [b.id, b.text]),
          noise: this.noise,
          seed: this.ctx.seed ?? 0,
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
      if (!Array.isArray(body) || body.length !== batch.length)
        throw new TeacherOutputError(
          `cached dataset answer has ${Array.isArray(body) ? body.length : 'no'} results for ${batch.length} inputs`,
          JSON.stringify(body),
          { hint: 'the teacher cache looks corrupt; delete it (.apprentice/cache.sqlite) and run again' },
        );
      out.push(...(body as ExtractResult[]));
    }
    return out;
  }

  private answer(input: ExtractInput): ExtractResult {
    const ex = this.byText.get(normalizeText(input.text));
    if (!ex) return { id: input.id, ok: false, raw: input.text, reason: 'text not in the dataset file' };
    // Offsets are the file's; the asked text may differ in outer whitespace only.
    if (ex.text !== input.text)
      return { id: input.id, ok: false, raw: input.text, reason: 'text differs from the dataset row in whitespace' };
    const tokens = ex.tokens ?? tokenizeWithOffsets(ex.text);
    const rng = new Rng(seedFor(this.ctx.seed ?? 0, input.id));
    const spans = noisy(ex, tokens, this.types, this.noise, rng);
    return { id: input.id, ok: true, spans, rejected: [], ...(ex.tokens ? { tokens: ex.tokens } : {}) };
  }
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
