import { exportRuntime } from './export-runtime.js';

export interface ExportOptions {
  force?: boolean;
  /** Dataset exports: share of rows held out as validation. */
  validationShare?: number;
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
} satisfies Record<string, ExportKindSpec>;

export type ExportKind = keyof typeof EXPORT_KINDS;
