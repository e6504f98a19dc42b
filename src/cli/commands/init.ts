import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../../errors.js';
import type { CommandContext } from '../main.js';
import { displayPath } from '../display-path.js';

interface InitFlags {
  fromDataset?: string;
  force?: boolean;
}

export function registerInit(program: Command, ctx: CommandContext): void {
  program
    .command('init')
    .description('write a commented starter task file')
    .argument('[file]', 'task file to write', 'task.yaml')
    .option(
      '--from-dataset <labeled file>',
      'derive the task from a labeled file: JSONL/CSV labels (classify), or CoNLL/BIO columns, entity or attribute JSONL (extract)',
    )
    .option('--force', 'overwrite the file if it exists')
    .action(async (file: string, flags: InitFlags) => {
      ctx.setExitCode(await runInit(ctx, file, flags));
    });
}

/** The file's shape picks the task kind: extraction shapes make an extract task, the rest a classification one. */
async function fromDataset(file: string, taskFile: string): Promise<string> {
  const { detectLabeledShape } = await import('../../data/extract/detect.js');
  const { SPAN_SHAPES } = await import('../../data/extract/read-spans.js');
  const { shape } = detectLabeledShape(file);
  if ((SPAN_SHAPES as readonly string[]).includes(shape)) {
    const { extractTaskFromDataset } = await import('../../data/extract/init-extract.js');
    return extractTaskFromDataset(file, { taskFile }).yaml;
  }
  const { taskFromDataset } = await import('../../task/init.js');
  return taskFromDataset(file, { taskFile }).yaml;
}

async function runInit(ctx: CommandContext, file: string, flags: InitFlags): Promise<number> {
  const { starterTaskYaml } = await import('../../task/init.js');
  const target = path.resolve(ctx.io.cwd, file);
  if (existsSync(target) && !flags.force) {
    throw new ConfigError(`${file} already exists; not overwriting it`, {
      file: target,
      hint: 'pass --force to replace it, or name another file: apprentice init other.yaml',
    });
  }
  const yaml = flags.fromDataset
    ? await fromDataset(path.resolve(ctx.io.cwd, flags.fromDataset), target)
    : starterTaskYaml();
  await mkdir(path.dirname(target), { recursive: true });
  // 'wx' closes the gap between the existence check and the write when --force is not given.
  await writeFile(target, yaml, { encoding: 'utf8', flag: flags.force ? 'w' : 'wx' });
  const shown = displayPath(ctx.io.cwd, target);
  ctx.io.stdout.write(
    `Wrote ${shown}.\nNext: edit it (instruction, labels, pool, teacher), then run: apprentice distill ${shown}\n`,
  );
  return 0;
}
