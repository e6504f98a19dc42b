import { z } from 'zod';
import { ExportDir } from './out-dir.js';
import { checkJsonl, toJsonl } from './jsonl.js';
import { cell, dollars, pct, provenance, SOURCE_MEANING } from '../run/provenance.js';
import { type RunData, type RunExample, readRunData } from './run-data.js';
import { splitExamples } from './split.js';
import { exportHfExtract, isExtractRun } from './hf-dataset-extract.js';
import type { ExportOptions, ExportResult } from './kinds.js';

/**
 * `apprentice export hf-dataset`: train.jsonl and validation.jsonl with a provenance column per
 * row, and a dataset card (README.md with the Hub's YAML header), ready for `huggingface-cli upload`
 * or `datasets.load_dataset("json", data_files=…)`. Column types are the same on every row (null,
 * not absent), because the Hub infers one schema per file.
 */
export const HF_FILES = ['train.jsonl', 'validation.jsonl', 'README.md'] as const;

const Row = z.object({
  id: z.string(),
  text: z.string(),
  source: z.enum(['seed', 'pool', 'generated', 'human']),
  round: z.number().int(),
  teacher: z.string(),
  reviewer: z.string().nullable(),
  confidence: z.number().nullable(),
  attributes: z.string().nullable(),
});
const SingleRow = Row.extend({ label: z.string() }).strict();
const MultiRow = Row.extend({ labels: z.array(z.string()) }).strict();

export async function exportHfDataset(runDir: string, outDir: string, options: ExportOptions): Promise<ExportResult> {
  if (isExtractRun(runDir)) return exportHfExtract(runDir, outDir, options);
  const run = readRunData(runDir);
  const { train, validation } = splitExamples(run.examples, options.validationShare ?? 0.1);
  const license = options.license ?? 'unknown';
  const out = new ExportDir(outDir, HF_FILES, options);
  const multi = run.task.multiLabel;
  out.write('train.jsonl', toJsonl(train.map((e) => hfRow(e, multi))));
  out.write('validation.jsonl', toJsonl(validation.map((e) => hfRow(e, multi))));
  out.write('README.md', datasetCard(run, train, validation, license));
  const schema: z.ZodType<{ label?: string; labels?: string[] }> = multi ? MultiRow : SingleRow;
  const labels = new Set(run.task.labels.map((l) => l.name));
  for (const f of ['train.jsonl', 'validation.jsonl']) {
    for (const row of checkJsonl(out.path(f), schema, 'Hugging Face dataset')) {
      const rowLabels = row.labels ?? [row.label ?? ''];
      if (rowLabels.some((l) => !labels.has(l))) throw new Error(`export bug: ${f} has a label outside the task`);
    }
  }
  return { dir: out.dir, files: out.written, train: train.length, validation: validation.length };
}

function hfRow(e: RunExample, multi: boolean) {
  return {
    id: e.id,
    text: e.text,
    ...(multi ? { labels: e.labels } : { label: e.labels[0] }),
    source: e.source,
    round: e.round,
    teacher: e.teacher,
    reviewer: e.reviewer ?? null,
    confidence: e.confidence ?? null,
    attributes: e.attributes ? JSON.stringify(e.attributes) : null,
  };
}

function sizeCategory(n: number): string {
  return n < 1000 ? 'n<1K' : n < 10_000 ? '1K<n<10K' : n < 100_000 ? '10K<n<100K' : '100K<n<1M';
}

function datasetCard(run: RunData, train: RunExample[], validation: RunExample[], license: string): string {
  const { task, summary } = run;
  const all = provenance(run.examples);
  const tr = provenance(train);
  const va = provenance(validation);
  const t = summary.teacher;
  const labelRows = task.labels.map(
    (l) =>
      `| ${cell(l.name)} | ${tr.byLabel[l.name] ?? 0} | ${va.byLabel[l.name] ?? 0} | ${pct(all.byLabel[l.name] ?? 0, all.rows)} | ${cell(l.description ?? '')} |`,
  );
  const sourceRows = Object.entries(all.bySource).map(
    ([s, n]) => `| ${s} | ${n} | ${pct(n, all.rows)} | ${SOURCE_MEANING[s] ?? ''} |`,
  );
  const roundRows = Object.entries(all.byRound).map(([r, n]) => `| ${r} | ${n} |`);
  const labelField = task.multiLabel ? '`labels` (list of strings, possibly empty)' : '`label` (string)';
  return `---
license: ${license}
pretty_name: ${JSON.stringify(task.name)}
task_categories:
- text-classification
size_categories:
- ${sizeCategory(all.rows)}
tags:
- apprentice
- distillation
- synthetic
configs:
- config_name: default
  data_files:
  - split: train
    path: train.jsonl
  - split: validation
    path: validation.jsonl
---

# ${task.name}

Training data distilled by Apprentice from the teacher \`${t.id}\` in run
\`${summary.runId}\`: ${all.rows} labeled texts, ${train.length} for training and ${validation.length} for validation
(split by label, by a hash of each row's id, so re-exporting splits the same way).

## Task

${task.instruction.trim()}

${task.multiLabel ? 'Multi-label: a text may carry any number of the labels.' : 'Single-label: every text has exactly one label.'}

## Labels

| label | train | validation | share | description |
|---|---:|---:|---:|---|
${labelRows.join('\n')}

## Columns

- \`id\`: stable id (hash of the normalized text)
- \`text\`: the input text
- ${labelField}
- \`source\`: where the row came from: \`seed\`, \`pool\`, \`generated\` or \`human\` (a reviewer's label from \`apprentice studio\`, in place of the teacher's)
- \`round\`: the loop round that acquired it (0 = initial)
- \`teacher\`: who labeled it (\`user\` for seeds, \`human\` for reviewers' labels)
- \`reviewer\`: the reviewer's name for \`human\` rows, else null
- \`confidence\`: the teacher's confidence when known (self-consistency votes), else null
- \`attributes\`: generation attributes as a JSON object string (strategy, guidance), else null

## Sources

| source | rows | share | meaning |
|---|---:|---:|---|
${sourceRows.join('\n')}

Rows by round:

| round | rows |
|---:|---:|
${roundRows.join('\n')}

## Teacher and cost

- Teacher: \`${t.id}\` (${t.kind})
- Teacher answers bought: ${t.answers}${t.requests !== undefined ? `, in ${t.requests} HTTP requests` : ''}
- Dollars spent: ${dollars(t.dollars)}
- Answers rejected as unusable: ${t.rejected ?? 'unknown'}
- Rounds: ${summary.rounds.length}; stopped because: ${summary.stopReason ?? 'unknown'}
- A student trained on these rows scored accuracy ${summary.final.accuracy.toFixed(3)}, macro-F1 ${summary.final.macroF1.toFixed(3)} on ${summary.final.n} ${summary.final.split} texts.

## Known limits

- Labels are the teacher's, not people's: the teacher's mistakes and biases are in them. The
  pipeline filters duplicates, leaked evaluation texts and (when enabled) suspected label noise,
  but does not human-review rows.
- \`generated\` rows were written by a language model to fill gaps; they read cleaner and more
  typical than real traffic.
- The validation split comes from the same distribution and the same teacher as the training
  split: it measures fit to the teacher, not accuracy against people. Keep a human-labeled test set.
- Label shares follow what the loop chose to buy (it samples where the student was weakest), not
  how often labels occur in the wild.

## License

\`license: ${license}\`${license === 'unknown' ? ' (set one with `apprentice export hf-dataset … --license <id>`)' : ''}.
Check the teacher's terms of use before publishing: some providers restrict using their outputs to
train other models. Seed and pool texts are the task author's and keep their own terms.
`;
}
