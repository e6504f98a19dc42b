import { exportRuntime } from './export-runtime.js';
import { exportFastText } from './fasttext.js';
import { exportHfDataset } from './hf-dataset.js';
import { exportOpenAiFinetune } from './openai-finetune.js';

export interface ExportOptions {
  force?: boolean;
  /** Dataset exports: share of rows held out as validation. */
  validationShare?: number;
  /** hf-dataset: the card's license field (a Hub license id). */
  license?: string;
}

export interface ExportResult {
  dir: string;
  files: string[];
  /** A line for people: what to do next. */
  note?: string;
  [key: string]: unknown;
}

interface ExportKindSpec {
  description: string;
  /** `model`: a student.bin (found in a run or model dir); `run`: a run directory. */
  input: 'model' | 'run';
  run(source: string, outDir: string, options: ExportOptions): Promise<ExportResult>;
}

/** Every `apprentice export <kind>`, in one table, so help, docs and the CLI list the same kinds. */
export const EXPORT_KINDS = {
  runtime: {
    description: 'the zero-dependency runtime, the model, a Web Worker and a static page to try it (serve the folder)',
    input: 'model',
    run: async (model, out, options) => ({
      ...(await exportRuntime(model, out, options)),
      note: `Serve the folder (for example: cd ${out} && python3 -m http.server) and open index.html.`,
    }),
  },
  'hf-dataset': {
    description:
      'train/validation JSONL with provenance columns and a dataset card (README.md) for the Hugging Face Hub',
    input: 'run',
    run: exportHfDataset,
  },
  'openai-finetune': {
    description: 'chat-format JSONL (system = task instruction, user = text, assistant = label) for OpenAI fine-tuning',
    input: 'run',
    run: exportOpenAiFinetune,
  },
  fasttext: {
    description: '__label__ lines (train.txt, validation.txt) for fastText supervised training',
    input: 'run',
    run: exportFastText,
  },
} satisfies Record<string, ExportKindSpec>;

export type ExportKind = keyof typeof EXPORT_KINDS;
