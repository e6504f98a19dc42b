import path from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { EvalMetrics } from '../../core/types.js';
import type { ModelCard } from '../../run/model-card.js';
import { ConfigError } from '../../errors.js';
import { integer } from '../parse.js';
import { CARD_FILE, MODEL_FILE } from '../model-path.js';
import { metricsJson, renderMetrics } from '../metrics-table.js';
import type { CommandContext } from '../main.js';
import { displayPath } from '../display-path.js';

interface TrainFlags {
  out: string;
  kind?: string;
  seed: number;
  eval?: string;
  params?: string;
  json?: boolean;
}

/** A run's card, minus metrics when there is no gold set to measure on, plus where the data came from. */
type TrainCard = Omit<ModelCard, 'metrics'> & {
  metrics?: ModelCard['metrics'];
  trainedOn: { file: string; rows: number; hash: string };
  seed: number;
};

export function registerTrain(program: Command, ctx: CommandContext): void {
  program
    .command('train')
    .description('train a student on labeled data you already have (no teacher)')
    .argument(
      '<labeled>',
      'labeled file: JSONL {text, label | labels} or CSV with text,label columns (classification); CoNLL token/IOB2 columns, JSONL {text, entities} or {text, attributes} (extraction)',
    )
    .requiredOption('--out <dir>', 'model directory to write (student.bin + card.json)')
    .option('--kind <kind>', 'student kind (default: hashed-linear; sequence-perceptron for extraction files)')
    .option('--seed <n>', 'random seed', integer, 42)
    .option('--eval <gold>', 'gold labeled file (same shape) to score the trained student on')
    .option('--params <json>', `extraction students only: the kind's parameters as JSON, e.g. '{"outsideBias": 0.3}'`)
    .option('--json', 'print a JSON summary instead of a human one')
    .action(async (labeled: string, flags: TrainFlags) => {
      ctx.setExitCode(await runTrain(ctx, labeled, flags));
    });
}

async function runTrain(ctx: CommandContext, labeled: string, flags: TrainFlags): Promise<number> {
  const { io } = ctx;
  const file = path.resolve(io.cwd, labeled);
  // The file's shape picks the task: token/tag columns or span JSONL train an extraction student.
  const { detectLabeledShape } = await import('../../data/extract/detect.js');
  const { shape } = detectLabeledShape(file);
  if (shape === 'conll' || shape === 'entities-jsonl' || shape === 'attributes-jsonl') {
    const { runTrainExtract } = await import('./train-extract.js');
    return runTrainExtract(ctx, file, flags);
  }
  if (flags.params !== undefined)
    throw new ConfigError('--params applies to extraction students only', {
      field: '--params',
      hint: 'drop --params, or train on a CoNLL or entities/attributes JSONL file',
    });
  const { readLabeled } = await import('../../read/read-labeled.js');
  const data = readLabeled(file);
  const [{ trainStudent, saveStudent, DEFAULT_STUDENT_KIND }, { evaluate }] = await Promise.all([
    import('../../student/registry.js'),
    import('../../metrics/evaluate.js'),
  ]);
  const rows = data.rows;
  // A file written with `labels` lists is multi-label even where a row happens to hold exactly one.
  const multiLabel = rows.some((r) => r.labels.length !== 1);
  const labels = [...new Set(rows.flatMap((r) => r.labels))].sort();

  const started = performance.now();
  const student = trainStudent(flags.kind ?? DEFAULT_STUDENT_KIND, rows, { labels, multiLabel, seed: flags.seed }, {});
  const ms = Math.round(performance.now() - started);

  let metrics: EvalMetrics | undefined;
  if (flags.eval) {
    const gold = readLabeled(path.resolve(io.cwd, flags.eval), { allowedLabels: labels, multiLabel }).rows;
    metrics = evaluate(student, gold);
  }

  const outDir = path.resolve(io.cwd, flags.out);
  await mkdir(outDir, { recursive: true });
  const modelPath = path.join(outDir, MODEL_FILE);
  saveStudent(student, modelPath);
  const card: TrainCard = {
    task: path.basename(file).replace(/\.[^.]+$/, ''),
    labels,
    multiLabel,
    student: { kind: student.kind },
    ...(metrics
      ? {
          metrics: {
            split: 'gold' as const,
            n: metrics.n,
            accuracy: metrics.accuracy,
            macroF1: metrics.macroF1,
            ...(metrics.microF1 !== undefined ? { microF1: metrics.microF1 } : {}),
          },
        }
      : {}),
    trainedOn: { file, rows: rows.length, hash: data.hash },
    seed: flags.seed,
    created: new Date().toISOString(),
  };
  await writeFile(path.join(outDir, CARD_FILE), `${JSON.stringify(card, null, 2)}\n`);
  const modelBytes = student.toBytes().byteLength;

  if (flags.json) {
    io.stdout.write(
      `${JSON.stringify({ out: outDir, kind: student.kind, rows: rows.length, labels, multiLabel, modelBytes, ms, ...(metrics ? { eval: metricsJson(metrics) } : {}) })}\n`,
    );
  } else {
    const dupes = data.duplicates > 0 ? ` (${data.duplicates} duplicate rows skipped)` : '';
    io.stdout.write(
      `Trained ${student.kind} on ${rows.length} rows${dupes}, ${labels.length} labels, in ${(ms / 1000).toFixed(1)} s\n`,
    );
    io.stdout.write(`Wrote ${displayPath(io.cwd, modelPath)} (${modelBytes} bytes) and ${CARD_FILE}\n`);
    if (metrics) io.stdout.write(`\n${renderMetrics(metrics, multiLabel)}`);
  }
  return 0;
}
