import path from 'node:path';
import type { Command } from 'commander';
import { integer } from '../parse.js';
import type { CommandContext } from '../main.js';

interface StudioFlags {
  runs: string;
  host: string;
  port: number;
  cache: string;
}

export function registerStudio(program: Command, ctx: CommandContext): void {
  program
    .command('studio')
    .description('local web app over the run directories: runs, live progress, data browser, review queue')
    .option('--runs <dir>', 'directory holding run directories', 'runs')
    .option('--host <host>', 'address to bind (any but loopback needs APPRENTICE_STUDIO_TOKEN)', '127.0.0.1')
    .option('--port <n>', 'port (0: any free port)', integer, 4173)
    .option(
      '--cache <path>',
      'teacher cache and ledger file for runs started from the studio',
      '.apprentice/cache.sqlite',
    )
    .action(async (flags: StudioFlags) => {
      ctx.setExitCode(await runStudio(ctx, flags));
    });
}

async function runStudio(ctx: CommandContext, flags: StudioFlags): Promise<number> {
  const { io } = ctx;
  const { startStudio } = await import('../../studio/server/start.js');
  const token = io.env.APPRENTICE_STUDIO_TOKEN || undefined;
  const studio = await startStudio({
    runsDir: path.resolve(io.cwd, flags.runs),
    cachePath: path.resolve(io.cwd, flags.cache),
    host: flags.host,
    port: flags.port,
    token,
  });
  io.stderr.write(
    `Apprentice studio on ${studio.url}${token ? ' (open it with ?token=<APPRENTICE_STUDIO_TOKEN>)' : ''}\n`,
  );
  io.stderr.write('Ctrl-C stops it (runs started here are stopped cleanly).\n');
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await studio.close();
  return 0;
}
