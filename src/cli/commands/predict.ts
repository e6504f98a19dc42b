import path from 'node:path';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import type { Prediction, Student } from '../../student/types.js';
import { resolveModelFile } from '../model-path.js';
import type { CommandContext } from '../main.js';
import { displayPath } from '../display-path.js';
import { spanPredictionRow } from '../span-metrics-table.js';

interface PredictFlags {
  input: string;
  out?: string;
  json?: boolean;
}

/** Bounded batches keep memory flat on big input files. */
const BATCH = 1000;
const TOP_K = 5;

export function registerPredict(program: Command, ctx: CommandContext): void {
  program
    .command('predict')
    .description('label texts with a trained student (an extraction model outputs spans with offsets, type and score)')
    .argument('<model>', "a run's model/ directory (or the run directory, or a student.bin file)")
    .requiredOption(
      '--input <file>',
      'texts to label: JSONL (`text` field), CSV (`text` column) or one per line (.txt)',
    )
    .option('--out <preds.jsonl>', 'write predictions here instead of stdout')
    .option('--json', 'with --out: print a JSON summary {n, out, counts} instead of a human one')
    .action(async (model: string, flags: PredictFlags) => {
      ctx.setExitCode(await runPredict(ctx, model, flags));
    });
}

async function runPredict(ctx: CommandContext, model: string, flags: PredictFlags): Promise<number> {
  const { io } = ctx;
  const modelFile = resolveModelFile(model, io.cwd);
  const { readTexts } = await import('../../read/read-texts.js');
  const texts = readTexts(path.resolve(io.cwd, flags.input)).rows;
  const { loadModel } = await import('../../student/load-model.js');
  const loaded = loadModel(modelFile);
  const counts: Record<string, number> = {};

  const outPath = flags.out ? path.resolve(io.cwd, flags.out) : undefined;
  let write: (s: string) => void;
  let close: () => Promise<void>;
  if (outPath) {
    await mkdir(path.dirname(outPath), { recursive: true });
    const stream = createWriteStream(outPath, { encoding: 'utf8' });
    write = (s) => void stream.write(s);
    close = async () => {
      stream.end();
      await finished(stream);
    };
  } else {
    write = (s) => void io.stdout.write(s);
    close = async () => {};
  }

  for (let i = 0; i < texts.length; i += BATCH) {
    const batch = texts.slice(i, i + BATCH);
    let chunk = '';
    if (loaded.task === 'extract') {
      // Extraction: spans with offsets, type and score; counts are spans per type.
      loaded.student.predictBatch(batch).forEach((p, j) => {
        for (const s of p.spans) counts[s.type] = (counts[s.type] ?? 0) + 1;
        chunk += `${JSON.stringify(spanPredictionRow(batch[j], p))}\n`;
      });
    } else {
      const student = loaded.student;
      student.predictBatch(batch).forEach((p, j) => {
        for (const l of p.labels) counts[l] = (counts[l] ?? 0) + 1;
        chunk += `${JSON.stringify(predictionRow(student, batch[j], p))}\n`;
      });
    }
    write(chunk);
  }
  await close();

  if (outPath) {
    if (flags.json) {
      io.stdout.write(`${JSON.stringify({ n: texts.length, out: outPath, counts })}\n`);
    } else {
      const dist = Object.entries(counts)
        .sort((a, b) => b[1] - a[1])
        .map(([l, c]) => `${l} ${c}`)
        .join(', ');
      io.stdout.write(`Wrote ${texts.length} predictions to ${displayPath(io.cwd, outPath)}\n  ${dist}\n`);
    }
  }
  return 0;
}

/** The JSONL row: the labels, the top probabilities (not all: label sets can be large) and the margin. */
export function predictionRow(
  student: Student,
  text: string,
  p: Prediction,
): { text: string; labels: string[]; probs: Record<string, number>; margin: number } {
  const ranked = [...p.probs]
    .map((prob, i) => ({ label: student.labels[i], prob }))
    .sort((a, b) => b.prob - a.prob)
    .slice(0, TOP_K);
  const probs: Record<string, number> = {};
  for (const r of ranked) probs[r.label] = round(r.prob);
  return { text, labels: p.labels, probs, margin: round(p.margin) };
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
