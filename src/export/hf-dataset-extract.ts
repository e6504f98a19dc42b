import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DataFileError } from '../errors.js';
import { RUN_FILES } from '../run/run-files.js';
import { fmix32, fnv1a } from '../text/fnv.js';
import { checkJsonl, toJsonl } from './jsonl.js';
import type { ExportOptions, ExportResult } from './kinds.js';
import { ExportDir } from './out-dir.js';
import { HINT, readJson, readLines, TaskJson } from './run-data.js';
/** The same files the classification export writes. */
const HF_FILES = ['train.jsonl', 'validation.jsonl', 'README.md'] as const;

/**
 * `apprentice export hf-dataset` for an extraction run (task.json `kind: "extract"`): train and
 * validation JSONL with the spans as character offsets (`entities`: start, end, type, text — the
 * shape NER datasets on the Hub use with `datasets`), the source tokens when the run had them, and
 * per row its provenance; plus a dataset card. Reads the training rows an extraction run writes
 * (src/run/extract: text, spans with an alignment status, tokens, source, round, teacher,
 * uncertainty), checking every span against its text.
 */
const ExtractTaskJson = TaskJson.extend({ kind: z.literal('extract') });

const ExtractSummaryJson = z
  .object({
    runId: z.string(),
    stopReason: z.string().optional(),
    teacher: z.object({ id: z.string(), kind: z.string(), answers: z.number(), dollars: z.number().optional() }),
    precision: z.number().optional(),
    recall: z.number().optional(),
    f1: z.number().optional(),
    final: z.object({ split: z.string(), n: z.number() }).optional(),
  })
  .passthrough();

const Offsets = z.object({ start: z.int().min(0), end: z.int().min(0) });
const TrainingRow = z.object({
  text: z.string(),
  spans: z.array(Offsets.extend({ type: z.string(), text: z.string(), status: z.string().optional() })),
  tokens: z.array(Offsets).optional(),
  source: z.string(),
  round: z.int(),
  teacher: z.string(),
  uncertainty: z.number().optional(),
  /** The reviewer of a `human` row (a studio correction). */
  reviewer: z.string().optional(),
});

const HfRow = z
  .object({
    id: z.string(),
    text: z.string(),
    entities: z.array(Offsets.extend({ type: z.string(), text: z.string() }).strict()),
    tokens: z.array(Offsets).nullable(),
    source: z.string(),
    round: z.int(),
    teacher: z.string(),
    uncertainty: z.number().nullable(),
    reviewer: z.string().nullable(),
  })
  .strict();
type HfRow = z.infer<typeof HfRow>;

/** Whether `runDir` holds an extraction run (its task.json says `kind: extract`). */
export function isExtractRun(runDir: string): boolean {
  const file = path.join(runDir, RUN_FILES.task);
  if (!existsSync(file)) return false;
  try {
    return JSON.parse(readFileSync(file, 'utf8'))?.kind === 'extract';
  } catch {
    return false;
  }
}

export async function exportHfExtract(runDir: string, outDir: string, options: ExportOptions): Promise<ExportResult> {
  const task = readJson(runDir, RUN_FILES.task, ExtractTaskJson);
  const summary = readJson(runDir, RUN_FILES.summary, ExtractSummaryJson);
  const types = new Set(task.labels.map((l) => l.name));
  const file = path.join(runDir, RUN_FILES.training);
  const rows: HfRow[] = readLines(file).map(({ line, text }) => {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new DataFileError(file, 'line is not valid JSON', { line, hint: 'the run directory is damaged; rerun it' });
    }
    const parsed = TrainingRow.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new DataFileError(file, `${issue.path.join('.') || 'row'}: ${issue.message}`, { line, hint: HINT });
    }
    const r = parsed.data;
    r.spans.forEach((s, i) => {
      if (!types.has(s.type))
        throw new DataFileError(file, `spans.${i}.type: "${s.type}" is not one of the task's types`, { line });
      if (s.end <= s.start || r.text.slice(s.start, s.end) !== s.text)
        throw new DataFileError(file, `spans.${i}: offsets ${s.start}–${s.end} do not hold "${s.text}"`, {
          line,
          hint: 'the run directory is damaged; rerun it',
        });
    });
    return {
      id: fmix32(fnv1a(r.text)).toString(16).padStart(8, '0'),
      text: r.text,
      entities: r.spans.map(({ start, end, type, text }) => ({ ...codePoints(r.text, start, end), type, text })),
      tokens: r.tokens?.map(({ start, end }) => codePoints(r.text, start, end)) ?? null,
      source: r.source,
      round: r.round,
      teacher: r.teacher,
      uncertainty: r.uncertainty ?? null,
      reviewer: r.reviewer ?? null,
    };
  });
  // A hash of each row's id picks its side: re-exporting the same run splits the same way.
  const share = options.validationShare ?? 0.1;
  const order = rows
    .map((r) => ({ r, h: fmix32(fnv1a(r.id)) }))
    .sort((a, b) => a.h - b.h || (a.r.id < b.r.id ? -1 : 1));
  const held = new Set(order.slice(0, rows.length < 3 ? 0 : Math.round(rows.length * share)).map((o) => o.r));
  const train = rows.filter((r) => !held.has(r));
  const validation = rows.filter((r) => held.has(r));
  const license = options.license ?? 'unknown';
  const out = new ExportDir(outDir, HF_FILES, options);
  out.write('train.jsonl', toJsonl(train));
  out.write('validation.jsonl', toJsonl(validation));
  out.write('README.md', extractCard(task, summary, train, validation, license));
  for (const f of ['train.jsonl', 'validation.jsonl']) checkJsonl(out.path(f), HfRow, 'Hugging Face dataset');
  return { dir: out.dir, files: out.written, train: train.length, validation: validation.length };
}

function extractCard(
  task: z.infer<typeof ExtractTaskJson>,
  summary: z.infer<typeof ExtractSummaryJson>,
  train: HfRow[],
  validation: HfRow[],
  license: string,
): string {
  const count = (rows: HfRow[], type: string) =>
    rows.reduce((n, r) => n + r.entities.filter((e) => e.type === type).length, 0);
  const typeRows = task.labels.map(
    (l) =>
      `| ${l.name.replace(/\|/g, '\\|')} | ${count(train, l.name)} | ${count(validation, l.name)} | ${(l.description ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`,
  );
  const bySource: Record<string, number> = {};
  for (const r of [...train, ...validation]) bySource[r.source] = (bySource[r.source] ?? 0) + 1;
  const t = summary.teacher;
  const total = train.length + validation.length;
  const scored =
    summary.f1 !== undefined && summary.final
      ? `- A student trained on these rows scored entity F1 ${summary.f1.toFixed(3)} (exact span and type) on ${summary.final.n} ${summary.final.split} texts.\n`
      : '';
  return `---
license: ${license}
pretty_name: ${JSON.stringify(task.name)}
task_categories:
- token-classification
task_ids:
- named-entity-recognition
tags:
- apprentice
- distillation
configs:
- config_name: default
  data_files:
  - split: train
    path: train.jsonl
  - split: validation
    path: validation.jsonl
---

# ${task.name}

Extraction data distilled by Apprentice from the teacher \`${t.id}\` in run \`${summary.runId}\`:
${total} annotated texts, ${train.length} for training and ${validation.length} for validation (split by a hash of
each row's id, so re-exporting splits the same way).

## Task

${task.instruction.trim()}

## Entity types

| type | spans in train | spans in validation | description |
|---|---:|---:|---|
${typeRows.join('\n')}

## Columns

- \`id\`: stable id (hash of the text)
- \`text\`: the input text
- \`entities\`: the spans, each \`{start, end, type, text}\`: code-point offsets, end exclusive
  (\`text[start:end]\` in Python; in JavaScript, \`Array.from(text).slice(start, end).join('')\`,
  since JavaScript strings count UTF-16 units, which differ around emoji and other characters
  outside the Basic Multilingual Plane)
- \`tokens\`: the source's token offsets when it had its own tokenization (CoNLL), else null
- \`source\`: how the loop picked the text (${Object.entries(bySource)
    .map(([s, n]) => `\`${s}\` ${n}`)
    .join(', ')})
- \`round\`: the loop round that acquired it (0 = initial)
- \`teacher\`: who annotated it
- \`uncertainty\`: the student's uncertainty about the text when the loop picked it for that reason, else null
- \`reviewer\`: the reviewer's name for \`human\` rows (spans corrected in \`apprentice studio\`), else null

## Teacher and cost

- Teacher: \`${t.id}\` (${t.kind}); answers bought: ${t.answers}; dollars: ${t.dollars !== undefined ? `$${t.dollars.toFixed(4)}` : 'unknown'}
${scored}- Stopped because: ${summary.stopReason ?? 'unknown'}

## Known limits

- Spans are the teacher's, aligned to the text; mentions that could not be placed were left out
  (the run's rejected.jsonl lists them). They are not human-reviewed.
- The loop bought texts where the student was unsure, so type shares follow that, not the wild.

## License

\`license: ${license}\`${license === 'unknown' ? ' (set one with `apprentice export hf-dataset … --license <id>`)' : ''}.
Check the teacher's terms of use before publishing.
`;
}

/**
 * UTF-16 offsets (how the run stores spans) as code-point offsets (how Python's str, and so a
 * Hugging Face dataset's users, index text): the two differ after any astral character.
 */
function codePoints(text: string, start: number, end: number): { start: number; end: number } {
  const before = Array.from(text.slice(0, start)).length;
  return { start: before, end: before + Array.from(text.slice(start, end)).length };
}
