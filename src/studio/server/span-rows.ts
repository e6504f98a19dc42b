import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { RUN_FILES } from '../../run/run-files.js';

/**
 * The data browser of an extraction run: training.jsonl rows (a text, its spans with offsets, type
 * and alignment status, provenance) filtered by span type, source, round and a text search, with
 * the count of every filter value under the other filters. Extraction runs are sentences or titles
 * by the thousand, so the rows are held in memory per file version; the classification row index
 * (labels, student predictions, out-of-fold scores) does not apply to spans.
 */
const SpanJson = z.object({
  start: z.number().int(),
  end: z.number().int(),
  type: z.string(),
  text: z.string(),
  status: z.string().optional(),
});
const RowJson = z.object({
  text: z.string(),
  spans: z.array(SpanJson),
  source: z.string(),
  round: z.number().int(),
  teacher: z.string(),
  /** Set on `human` rows: who reviewed the text in the studio. */
  reviewer: z.string().optional(),
  /** The source's tokens (CoNLL): the review screen snaps selections to them. */
  tokens: z.array(z.object({ start: z.number().int(), end: z.number().int() })).optional(),
  uncertainty: z.number().optional(),
  rejectedMentions: z.array(z.object({ raw: z.string(), reason: z.string() }).passthrough()).optional(),
});

export type SpanRow = z.infer<typeof RowJson> & { idx: number };
/** A row as the data browser sends it (no tokens). */
export type SpanRowOut = Omit<SpanRow, 'tokens'>;

export interface SpanFilter {
  type?: string;
  source?: string;
  round?: number;
  q?: string;
}

export interface SpanPage {
  total: number;
  rows: SpanRowOut[];
  /** Counts of each value of each filter, under the other filters. `type` counts rows with a span of it; `(none)`: rows without spans. */
  facets: { type: Record<string, number>; source: Record<string, number>; round: Record<string, number> };
  /** Spans per alignment status over all rows. */
  statuses: Record<string, number>;
}

const cache = new Map<string, { mtimeMs: number; size: number; rows: SpanRow[] }>();

/** The run's training rows; a malformed line is skipped as the classification index skips it, and counted. */
export function spanRows(dir: string): SpanRow[] {
  const file = join(dir, RUN_FILES.training);
  const st = statSync(file);
  const hit = cache.get(file);
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.rows;
  const rows: SpanRow[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let parsed: z.ZodSafeParseResult<z.infer<typeof RowJson>>;
    try {
      parsed = RowJson.safeParse(JSON.parse(line));
    } catch {
      continue;
    }
    if (parsed.success) rows.push({ ...parsed.data, idx: rows.length });
  }
  cache.set(file, { mtimeMs: st.mtimeMs, size: st.size, rows });
  return rows;
}

const typesOf = (r: SpanRow) => (r.spans.length ? [...new Set(r.spans.map((s) => s.type))] : ['(none)']);

function matches(r: SpanRow, f: SpanFilter, skip?: keyof SpanFilter): boolean {
  if (skip !== 'type' && f.type !== undefined && !typesOf(r).includes(f.type)) return false;
  if (skip !== 'source' && f.source !== undefined && r.source !== f.source) return false;
  if (skip !== 'round' && f.round !== undefined && r.round !== f.round) return false;
  if (f.q && !r.text.toLowerCase().includes(f.q.toLowerCase())) return false;
  return true;
}

export function spanPage(dir: string, filter: SpanFilter, page: { offset: number; limit: number }): SpanPage {
  const rows = spanRows(dir);
  const hit = rows.filter((r) => matches(r, filter));
  const count = (skip: keyof SpanFilter, keys: (r: SpanRow) => string[]) => {
    const out: Record<string, number> = {};
    for (const r of rows) if (matches(r, filter, skip)) for (const k of keys(r)) out[k] = (out[k] ?? 0) + 1;
    return out;
  };
  const statuses: Record<string, number> = {};
  for (const r of rows) for (const s of r.spans) statuses[s.status ?? 'gold'] = (statuses[s.status ?? 'gold'] ?? 0) + 1;
  return {
    total: hit.length,
    // Tokens are for the review screen; the browser's rows do without them.
    rows: hit.slice(page.offset, page.offset + page.limit).map(({ tokens: _, ...r }) => r),
    facets: {
      type: count('type', typesOf),
      source: count('source', (r) => [r.source]),
      round: count('round', (r) => [String(r.round)]),
    },
    statuses,
  };
}
