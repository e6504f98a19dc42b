import { Command, CommanderError } from 'commander';
import { exitCodeFor } from './exit-codes.js';
import { renderError } from './render-error.js';
import { redactSecrets } from './redact.js';
import { processIo, type CliIo } from './io.js';
import { registerInit } from './commands/init.js';
import { registerDistill } from './commands/distill.js';
import { registerPredict } from './commands/predict.js';
import { registerEval } from './commands/eval.js';
import { registerTrain } from './commands/train.js';
import { registerPlan } from './commands/plan.js';
import { registerServe } from './commands/serve.js';
import { registerStudio } from './commands/studio.js';
import { registerExport } from './commands/export.js';
import { registerRetrain } from './commands/retrain.js';
import { exitCodesHelp } from './help.js';

/** Set by a command's action; the action's own return value is lost inside commander. */
export interface CommandContext {
  io: CliIo;
  setExitCode(code: number): void;
}

/**
 * Entry point of the `apprentice` binary. Returns the exit code instead of exiting, so that pending
 * writes flush and so that tests can call it.
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let exitCode = 0;
  const ctx: CommandContext = {
    io,
    setExitCode: (code) => {
      exitCode = code;
    },
  };

  const program = new Command('apprentice')
    .description('Distil a large teacher LLM into a small, fast, task-specific student classifier.')
    .version(await version(), '-V, --version')
    .showSuggestionAfterError(true)
    .addHelpText('after', exitCodesHelp())
    // Settings below are inherited by subcommands created afterwards.
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(redactSecrets(s, io.env)),
    });
  program.showHelpAfterError('(run with --help for usage)');

  registerInit(program, ctx);
  registerDistill(program, ctx);
  registerPredict(program, ctx);
  registerEval(program, ctx);
  registerTrain(program, ctx);
  registerPlan(program, ctx);
  registerServe(program, ctx);
  registerStudio(program, ctx);
  registerExport(program, ctx);
  registerRetrain(program, ctx);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (!(error instanceof CommanderError)) io.stderr.write(renderError(error, io.env));
    return exitCodeFor(error);
  }
}

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  // src/cli/main.ts in a checkout, dist/src/cli/main.js in the package: package.json is two or three up.
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(await readFile(new URL(up, import.meta.url), 'utf8')) as {
        name?: string;
        version: string;
      };
      if (pkg.name === 'apprentice') return pkg.version;
    } catch {}
  }
  return 'unknown';
}
