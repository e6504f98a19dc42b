import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadModel } from '../student/load-model.js';
import type { SpanStudent } from '../student/sequence/types.js';
import { ExportDir } from './out-dir.js';
import { RUNTIME_EXTRACT_FILE, RUNTIME_FILE, runtimeBundle } from './runtime-bundle.js';
import { MODEL_FILE, PAGE_FILE, type PageInfo, runtimePage, runtimeWorker, WORKER_FILE } from './runtime-page.js';
import { type ExtractPageInfo, extractPage, extractWorker } from './runtime-page-extract.js';

export const RUNTIME_EXPORT_FILES = [RUNTIME_FILE, MODEL_FILE, PAGE_FILE, WORKER_FILE] as const;
/** An extraction model's export: its own runtime module (the classification one is not shipped with it). */
export const RUNTIME_EXTRACT_EXPORT_FILES = [RUNTIME_EXTRACT_FILE, MODEL_FILE, PAGE_FILE, WORKER_FILE] as const;

export interface RuntimeExportResult {
  dir: string;
  files: string[];
  labels: number;
  modelBytes: number;
}

/**
 * `apprentice export runtime`: the runtime module, the model, a worker and a page that runs them,
 * ready for any static host. The model is loaded with the library first, so a damaged file fails
 * here (a ModelFileError naming it), not later in someone's browser.
 */
export async function exportRuntime(
  modelFile: string,
  outDir: string,
  options: { force?: boolean } = {},
): Promise<RuntimeExportResult> {
  const model = loadModel(modelFile);
  if (model.task === 'extract') return exportExtractRuntime(model.student, modelFile, outDir, options);
  const student = model.student;
  const bytes = readFileSync(modelFile);
  const card = readCard(path.join(path.dirname(modelFile), 'card.json'));
  const info: PageInfo = {
    task: card?.task ?? path.basename(path.dirname(path.resolve(modelFile))),
    labels: [...student.labels],
    multiLabel: student.multiLabel,
    modelBytes: bytes.length,
    ...(card?.metrics ? { metrics: card.metrics } : {}),
    ...(card?.created ? { created: card.created } : {}),
  };
  const bundle = await runtimeBundle();
  const out = new ExportDir(outDir, RUNTIME_EXPORT_FILES, options);
  out.write(RUNTIME_FILE, bundle);
  out.write(MODEL_FILE, bytes);
  out.write(WORKER_FILE, runtimeWorker());
  out.write(PAGE_FILE, runtimePage(info));
  return { dir: out.dir, files: out.written, labels: student.labels.length, modelBytes: bytes.length };
}

async function exportExtractRuntime(
  student: SpanStudent,
  modelFile: string,
  outDir: string,
  options: { force?: boolean },
): Promise<RuntimeExportResult> {
  const bytes = readFileSync(modelFile);
  const card = readExtractCard(path.join(path.dirname(modelFile), 'card.json'));
  const info: ExtractPageInfo = {
    task: card?.task ?? path.basename(path.dirname(path.resolve(modelFile))),
    types: [...student.types],
    modelBytes: bytes.length,
    ...(card?.metrics ? { metrics: card.metrics } : {}),
    ...(card?.created ? { created: card.created } : {}),
  };
  const bundle = await runtimeBundle({ entry: 'extract' });
  const out = new ExportDir(outDir, RUNTIME_EXTRACT_EXPORT_FILES, options);
  out.write(RUNTIME_EXTRACT_FILE, bundle);
  out.write(MODEL_FILE, bytes);
  out.write(WORKER_FILE, extractWorker());
  out.write(PAGE_FILE, extractPage(info));
  return { dir: out.dir, files: out.written, labels: student.types.length, modelBytes: bytes.length };
}

function readExtractCard(
  file: string,
): { task?: string; metrics?: ExtractPageInfo['metrics']; created?: string } | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const card = JSON.parse(readFileSync(file, 'utf8'));
    const m = card?.metrics;
    const metrics =
      m && typeof m.f1 === 'number' && typeof m.precision === 'number' && typeof m.recall === 'number'
        ? { split: String(m.split ?? 'gold'), n: Number(m.n ?? 0), precision: m.precision, recall: m.recall, f1: m.f1 }
        : undefined;
    return {
      task: typeof card?.task === 'string' ? card.task : undefined,
      metrics,
      created: typeof card?.created === 'string' ? card.created : undefined,
    };
  } catch {
    return undefined;
  }
}

/** model/card.json, when it is there and readable; the page only decorates with it. */
function readCard(file: string): { task?: string; metrics?: PageInfo['metrics']; created?: string } | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const card = JSON.parse(readFileSync(file, 'utf8'));
    const m = card?.metrics;
    const metrics =
      m && typeof m.accuracy === 'number' && typeof m.macroF1 === 'number' && typeof m.n === 'number'
        ? { split: String(m.split ?? 'validation'), n: m.n, accuracy: m.accuracy, macroF1: m.macroF1 }
        : undefined;
    return {
      task: typeof card?.task === 'string' ? card.task : undefined,
      metrics,
      created: typeof card?.created === 'string' ? card.created : undefined,
    };
  } catch {
    return undefined;
  }
}
