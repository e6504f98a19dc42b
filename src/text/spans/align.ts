import { alnumAt, alnumBefore, type Folded, fold, similarity } from './fold.js';
import { tokenizeWithOffsets } from './tokenize.js';
import type { Span } from './types.js';

/**
 * Surface strings → character offsets. A teacher answers `{type, text}` mentions; the student
 * learns from offsets. Stages, first hit wins:
 *
 *   exact       the string as written;
 *   case        lowercased on both sides;
 *   normalized  lowercased, accents stripped, only letters and digits compared ("Red,Patent" ≈
 *               "red patent"), and the hit must start and end on word boundaries;
 *   fuzzy       the best run of whole tokens whose normalized form is at least `fuzzyThreshold`
 *               similar (1 − edit distance / longer length; default 0.8, i.e. about one typo in
 *               five characters): catches "Cristiano Ronaldo" written "Christiano Ronaldo".
 *
 * Exact and case prefer hits on word boundaries ("Ann" is not found inside "Joanna" when a
 * standalone "Ann" exists), and use an inside-a-word hit only when there is no other.
 *
 * Repeats: the k-th mention of a string (counted in answer order, compared normalized, whatever its
 * type) goes to the k-th occurrence of it in the text; if that occurrence is taken, to the next
 * free one after it, then the first free one before it.
 *
 * Overlaps: spans are flat (a BIO tagger cannot hold nested spans). Longer mentions are placed
 * first, and a mention only takes an occurrence that no placed span overlaps; so of "Bank of
 * America" and "America" (inside it) the longer one wins, and "America" goes to a free standalone
 * occurrence if there is one, or is rejected as overlapping.
 *
 * A mention that cannot be placed (hallucinated, or every occurrence taken) is returned in
 * `rejected` with its raw text and why; nothing is dropped silently and nothing throws.
 */

export type AlignStatus = 'exact' | 'case' | 'normalized' | 'fuzzy';

export interface Mention {
  type: string;
  text: string;
}

export interface AlignedSpan extends Span {
  status: AlignStatus;
  /** Position of the mention in the answer. */
  index: number;
  /** Fuzzy stage only: the similarity that placed it. */
  similarity?: number;
}

export interface RejectedMention {
  type: string;
  /** The mention as the teacher wrote it. */
  text: string;
  index: number;
  status: 'unaligned';
  reason: string;
}

export interface AlignResult {
  /** Placed spans, sorted by start; never overlapping. */
  spans: AlignedSpan[];
  rejected: RejectedMention[];
}

export interface AlignOptions {
  /** Lowest similarity the fuzzy stage accepts (0..1, default 0.8); 1 turns fuzzy matching off. */
  fuzzyThreshold?: number;
  /** Texts longer than this skip the fuzzy stage, whose cost grows with tokens × mention length (default 20,000). */
  fuzzyMaxChars?: number;
}

export const DEFAULT_FUZZY_THRESHOLD = 0.8;

interface Occurrence {
  start: number;
  end: number;
  similarity?: number;
}

/** Every (possibly overlapping) hit of `needle` in `hay`, as original offsets. */
function hits(hay: Folded, needle: string): Occurrence[] {
  const out: Occurrence[] = [];
  if (needle === '') return out;
  for (let i = hay.s.indexOf(needle); i !== -1; i = hay.s.indexOf(needle, i + 1)) {
    out.push({ start: hay.starts[i], end: hay.ends[i + needle.length - 1] });
  }
  return out;
}

function onBoundaries(text: string, o: Occurrence): boolean {
  return !alnumBefore(text, o.start) && !alnumAt(text, o.end);
}

/** Word-boundary hits when there are any, else all hits. */
function preferBoundaries(text: string, found: Occurrence[]): Occurrence[] {
  const clean = found.filter((o) => onBoundaries(text, o));
  return clean.length > 0 ? clean : found;
}

class Aligner {
  private caseFolded?: Folded;
  private normFolded?: Folded;
  private tokens?: { start: number; end: number; norm: string }[];
  constructor(
    private readonly text: string,
    private readonly threshold: number,
    private readonly fuzzyMaxChars: number,
  ) {}

  occurrences(stage: AlignStatus, needle: string): Occurrence[] {
    const text = this.text;
    if (stage === 'exact') {
      const out: Occurrence[] = [];
      for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1))
        out.push({ start: i, end: i + needle.length });
      return preferBoundaries(text, out);
    }
    if (stage === 'case') {
      this.caseFolded ??= fold(text, 'case');
      return preferBoundaries(text, hits(this.caseFolded, fold(needle, 'case').s));
    }
    if (stage === 'normalized') {
      this.normFolded ??= fold(text, 'normalized');
      return hits(this.normFolded, fold(needle, 'normalized').s).filter((o) => onBoundaries(text, o));
    }
    return this.fuzzy(needle);
  }

  /** Best-first runs of whole tokens at or above the threshold. */
  private fuzzy(needle: string): Occurrence[] {
    if (this.threshold >= 1 || this.text.length > this.fuzzyMaxChars) return [];
    const target = fold(needle, 'normalized').s;
    if (target === '') return [];
    this.tokens ??= tokenizeWithOffsets(this.text)
      .map((t) => ({ ...t, norm: fold(this.text.slice(t.start, t.end), 'normalized').s }))
      .filter((t) => t.norm !== '');
    const toks = this.tokens;
    const slack = Math.max(2, Math.ceil(target.length * (1 - this.threshold)));
    const found: Occurrence[] = [];
    for (let i = 0; i < toks.length; i++) {
      let joined = '';
      for (let j = i; j < toks.length; j++) {
        joined += toks[j].norm;
        if (joined.length > target.length + slack) break;
        if (joined.length < target.length - slack) continue;
        const sim = similarity(joined, target);
        if (sim >= this.threshold) found.push({ start: toks[i].start, end: toks[j].end, similarity: sim });
      }
    }
    // Highest similarity first; among equals, the earliest and then the shortest.
    return found.sort((a, b) => b.similarity! - a.similarity! || a.start - b.start || a.end - b.end);
  }
}

const STAGES: readonly AlignStatus[] = ['exact', 'case', 'normalized', 'fuzzy'];

function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

export function alignMentions(text: string, mentions: readonly Mention[], options: AlignOptions = {}): AlignResult {
  const aligner = new Aligner(text, options.fuzzyThreshold ?? DEFAULT_FUZZY_THRESHOLD, options.fuzzyMaxChars ?? 20_000);
  const rejected: RejectedMention[] = [];
  // k: how many earlier mentions (answer order) had the same normalized string.
  const seen = new Map<string, number>();
  const items = mentions.map((m, index) => {
    const surface = typeof m.text === 'string' ? m.text.trim() : '';
    const key = fold(surface, 'normalized').s || surface;
    const k = seen.get(key) ?? 0;
    seen.set(key, k + 1);
    return { m, surface, index, k };
  });
  // Longer mentions first (stable), so an enclosing span claims its text before a nested one.
  const order = [...items].sort((a, b) => b.surface.length - a.surface.length || a.index - b.index);
  const placed: AlignedSpan[] = [];
  for (const { m, surface, index, k } of order) {
    if (surface === '') {
      rejected.push({ type: m.type, text: String(m.text ?? ''), index, status: 'unaligned', reason: 'empty mention' });
      continue;
    }
    let result: AlignedSpan | undefined;
    let sawTaken = false;
    for (const stage of STAGES) {
      const occ = aligner.occurrences(stage, surface);
      if (occ.length === 0) continue;
      const free = (o: Occurrence) => !placed.some((p) => overlaps(p, o));
      let pick: Occurrence | undefined;
      if (stage === 'fuzzy') pick = occ.find(free);
      else {
        const from = Math.min(k, occ.length - 1);
        pick = occ.slice(from).find(free) ?? occ.slice(0, from).find(free);
        // Mentioned more often than the text holds it: the extra mention has no occurrence of its own.
        if (k >= occ.length && pick === undefined) sawTaken = true;
      }
      if (!pick) {
        sawTaken = true;
        continue;
      }
      result = {
        start: pick.start,
        end: pick.end,
        type: m.type,
        text: text.slice(pick.start, pick.end),
        status: stage,
        index,
        ...(pick.similarity !== undefined ? { similarity: pick.similarity } : {}),
      };
      break;
    }
    if (result) placed.push(result);
    else {
      rejected.push({
        type: m.type,
        text: m.text,
        index,
        status: 'unaligned',
        reason: sawTaken
          ? 'every occurrence in the text is already taken by another (longer or earlier) mention'
          : 'not found in the text (not even approximately)',
      });
    }
  }
  placed.sort((a, b) => a.start - b.start);
  rejected.sort((a, b) => a.index - b.index);
  return { spans: placed, rejected };
}
