import path from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import { ConfigError } from '../../errors.js';
import { CARD_FILE, MODEL_FILE } from '../model-path.js';
import type { CommandContext } from '../main.js';
import { displayPath } from '../display-path.js';
import { renderSpanMetrics, spanMetricsJson } from '../span-metrics-table.js';

export interface TrainExtractFlags {
  out: string;
  kind?: string;
  seed: number;
  eval?: string;
  params?: string;
  json?: boolean;
}

/**
 * `apprentice train` on an extraction file (CoNLL, entities or attributes JSONL): a span student
 * (sequence-perceptron by default) that holds out a seeded share of the rows for early stopping and
 * calibration (see src/student/sequence/train.ts), written as student.bin + card.json, with the
 * card saying `task: "extract"` and the types so eval, predict, serve and export know what it is.
 */
export async function runTrainExtract(ctx: CommandContext, file: string, flags: TrainExtractFlags): Promise<number> {
  const { io } = ctx;
  const [
    { readSpanFile },
    { trainSpanStudent, DEFAULT_SPAN_STUDENT_KIND },
    { saveSpanStudent },
    { evaluateSpans },
    { goldAttributeScores },
  ] = await Promise.all([
    import('../../data/extract/read-spans.js'),
    import('../../student/span-registry.js'),
    import('../../student/load-model.js'),
    import('../../metrics/evaluate-spans.js'),
    import('../attribute-gold.js'),
  ]);
  const params = parseParams(flags.params);
  const data = readSpanFile(file);
  const types = data.types;
  if (types.length === 0)
    throw new ConfigError(`${file} has no entity spans: nothing to learn`, {
      hint: 'tag at least one entity (B-<type>), or list entities/attributes in the JSONL rows',
    });
  const rows = data.examples.map((e) => ({ text: e.text, spans: e.spans, ...(e.tokens ? { tokens: e.tokens } : {}) }));

  const started = performance.now();
  const student = trainSpanStudent(flags.kind ?? DEFAULT_SPAN_STUDENT_KIND, rows, { types, seed: flags.seed }, params);
  const ms = Math.round(performance.now() - started);

  let evaluation: ReturnType<typeof evaluateSpans> | undefined;
  let attributes: ReturnType<typeof goldAttributeScores>;
  if (flags.eval) {
    const goldFile = path.resolve(io.cwd, flags.eval);
    const gold = readSpanFile(goldFile, { allowedTypes: types });
    evaluation = evaluateSpans(student, gold.examples);
    attributes = goldAttributeScores(gold.shape, goldFile, types, evaluation.predictions);
  }

  const outDir = path.resolve(io.cwd, flags.out);
  await mkdir(outDir, { recursive: true });
  const modelPath = path.join(outDir, MODEL_FILE);
  const modelBytes = saveSpanStudent(student, modelPath);
  const spans = rows.reduce((n, r) => n + r.spans.length, 0);
  // The same card shape an extraction run's model/card.json has (src/run/extract), plus where the data came from.
  const card = {
    task: path.basename(file).replace(/\.[^.]+$/, ''),
    kind: 'extract' as const,
    types: types.map((name) => ({ name })),
    student: { kind: student.kind },
    ...(evaluation
      ? {
          metrics: {
            split: 'gold' as const,
            n: evaluation.n,
            precision: evaluation.metrics.micro.precision,
            recall: evaluation.metrics.micro.recall,
            f1: evaluation.metrics.micro.f1,
            partialF1: evaluation.metrics.partial.f1,
          },
        }
      : {}),
    trainedOn: { file, shape: data.shape, rows: rows.length, spans, hash: data.hash },
    seed: flags.seed,
    created: new Date().toISOString(),
  };
  await writeFile(path.join(outDir, CARD_FILE), `${JSON.stringify(card, null, 2)}\n`);

  if (flags.json) {
    io.stdout.write(
      `${JSON.stringify({ out: outDir, task: 'extract', kind: student.kind, shape: data.shape, rows: rows.length, spans, types, unplaced: data.unplaced, modelBytes, ms, ...(evaluation ? { eval: spanMetricsJson(evaluation, attributes) } : {}) })}\n`,
    );
  } else {
    const notes = [
      data.unplaced > 0 ? `${data.unplaced} attribute values not found in their text were left out` : '',
    ].filter(Boolean);
    io.stdout.write(
      `Trained ${student.kind} on ${rows.length} ${data.shape} rows (${spans} spans, ${types.length} types) in ${(ms / 1000).toFixed(1)} s${notes.length ? ` (${notes.join('; ')})` : ''}\n`,
    );
    io.stdout.write(`Wrote ${displayPath(io.cwd, modelPath)} (${modelBytes} bytes) and ${CARD_FILE}\n`);
    if (evaluation) io.stdout.write(`\n${renderSpanMetrics(evaluation, attributes)}`);
  }
  return 0;
}

/** `--params '{"outsideBias": 0.3}'`: the student kind's parameters, checked by its schema. */
function parseParams(raw: string | undefined): unknown {
  if (raw === undefined) return {};
  try {
    return JSON.parse(raw);
  } catch (e) {
    throw new ConfigError(`--params is not JSON: ${(e as Error).message}`, {
      field: '--params',
      hint: `write e.g. --params '{"outsideBias": 0.3}'`,
    });
  }
}
