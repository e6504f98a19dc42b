import path from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { resolveModelFile } from '../model-path.js';
import type { CommandContext } from '../main.js';
import { displayPath } from '../display-path.js';
import { EXPORT_KINDS, type ExportKind } from '../../export/kinds.js';

interface ExportFlags {
  out: string;
  force?: boolean;
  json?: boolean;
  validation?: number;
  license?: string;
}

export function registerExport(program: Command, ctx: CommandContext): void {
  program
    .command('export')
    .description('take a run elsewhere: the student as a browser/edge runtime, or its training data for other trainers')
    .argument('<kind>', `what to write: ${Object.keys(EXPORT_KINDS).join(', ')}`, exportKind)
    .argument('<run>', 'a run directory (runtime also takes its model/ directory or a student.bin file)')
    .requiredOption('--out <dir>', 'directory to write into (created if missing)')
    .option('--force', 'overwrite files an earlier export left in --out')
    .option('--validation <share>', 'dataset exports: share of rows held out as validation (default 0.1)', share)
    .option('--license <id>', 'hf-dataset: license id for the dataset card (default: unknown)')
    .option('--json', 'print {kind, dir, files, ...} as JSON instead of a human summary')
    .addHelpText(
      'after',
      `\nKinds:\n${Object.entries(EXPORT_KINDS)
        .map(([k, v]) => `  ${k.padEnd(16)} ${v.description}`)
        .join('\n')}\n`,
    )
    .action(async (kind: ExportKind, run: string, flags: ExportFlags) => {
      const { io } = ctx;
      const out = path.resolve(io.cwd, flags.out);
      const spec = EXPORT_KINDS[kind];
      const source = spec.input === 'model' ? resolveModelFile(run, io.cwd) : path.resolve(io.cwd, run);
      const result = await spec.run(source, out, {
        force: flags.force,
        validationShare: flags.validation,
        license: flags.license,
      });
      if (flags.json) io.stdout.write(`${JSON.stringify({ kind, ...result })}\n`);
      else {
        io.stdout.write(`Wrote ${kind} export to ${displayPath(io.cwd, result.dir)}\n`);
        for (const f of result.files) io.stdout.write(`  ${displayPath(io.cwd, f)}\n`);
        if (result.note) io.stdout.write(`${result.note}\n`);
      }
      ctx.setExitCode(0);
    });
}

function exportKind(value: string): ExportKind {
  if (!Object.hasOwn(EXPORT_KINDS, value))
    throw new InvalidArgumentError(`unknown export kind; use one of: ${Object.keys(EXPORT_KINDS).join(', ')}`);
  return value as ExportKind;
}

function share(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n >= 1)
    throw new InvalidArgumentError('expected a number from 0 up to (not including) 1');
  return n;
}
