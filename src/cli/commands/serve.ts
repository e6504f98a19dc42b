import cluster from 'node:cluster';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { CommandContext } from '../main.js';
import { resolveModelFile } from '../model-path.js';
import { positiveInt } from '../parse.js';
import { redactSecrets } from '../redact.js';
import { exitCodeFor } from '../exit-codes.js';

interface ServeFlags {
  host: string;
  port: number;
  name: string[];
  workers?: number;
  maxBodyBytes: number;
  maxBatch: number;
  maxTextChars: number;
  reloadInterval: number;
  shutdownTimeout: number;
  logFormat: 'text' | 'json';
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number, 0 to 65535');
  return n;
}

function logFormat(value: string): 'text' | 'json' {
  if (value !== 'text' && value !== 'json') throw new InvalidArgumentError('expected text or json');
  return value;
}

export function registerServe(program: Command, ctx: CommandContext): void {
  program
    .command('serve')
    .description('serve students over HTTP (JSON API, /metrics, /openapi.json); see docs/serve.md')
    .argument('<models...>', 'run directories, their model/ directories or student.bin files')
    .option('--host <host>', 'address to bind; anything but loopback requires APPRENTICE_SERVE_TOKEN', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', port, 8080)
    .addOption(
      new Option('--name <name>', 'name to serve a model under, once per model in order')
        .argParser((v: string, acc: string[]) => [...acc, v])
        .default([], 'the run or directory name'),
    )
    .option('--workers <n>', 'worker processes (default: one per core)', positiveInt)
    .option('--max-body-bytes <n>', 'largest request body', positiveInt, 1024 * 1024)
    .option('--max-batch <n>', 'most texts per request', positiveInt, 256)
    .option('--max-text-chars <n>', 'longest text, in characters', positiveInt, 10_000)
    .option('--reload-interval <ms>', 'how often model files are checked for replacement', positiveInt, 1000)
    .option('--shutdown-timeout <s>', 'on SIGTERM, how long requests in flight get to finish', positiveInt, 30)
    .option('--log-format <format>', 'text or json (one object per line)', logFormat, 'text')
    .action(async (models: string[], flags: ServeFlags) => {
      ctx.setExitCode(await runServe(ctx, models, flags));
    });
}

async function runServe(ctx: CommandContext, args: string[], flags: ServeFlags): Promise<number> {
  const { io } = ctx;
  const [{ nameModels }, { serveToken }, { logLine }] = await Promise.all([
    import('../../server/model-name.js'),
    import('../../server/auth.js'),
    import('../../server/log-line.js'),
  ]);
  // Every line passes the redactor too, though no event carries the token: defence in depth.
  const onEvent = (e: import('../../server/events.js').ServeEvent) =>
    io.stderr.write(redactSecrets(logLine(e, flags.logFormat), io.env));
  const models = nameModels(
    args.map((a) => resolveModelFile(a, io.cwd)),
    flags.name,
  );
  const token = serveToken(flags.host, io.env);
  const workers = flags.workers ?? availableParallelism();
  const shutdownTimeoutMs = flags.shutdownTimeout * 1000;
  const options = {
    models,
    host: flags.host,
    port: flags.port,
    token,
    limits: { maxBodyBytes: flags.maxBodyBytes, maxBatch: flags.maxBatch, maxTextChars: flags.maxTextChars },
    reloadIntervalMs: flags.reloadInterval,
    onEvent,
    version: await version(),
  };

  if (cluster.isWorker) {
    const { runWorker, reportWorkerFailure } = await import('../../server/cluster.js');
    try {
      await runWorker(options, shutdownTimeoutMs);
      return 0;
    } catch (e) {
      await reportWorkerFailure(exitCodeFor(e));
      throw e;
    }
  }

  if (workers === 1) return serveInProcess(options, shutdownTimeoutMs, onEvent);

  // Load every model once here, so a bad one is reported once (exit 6) instead of by every worker.
  const { ModelSet } = await import('../../server/model-set.js');
  new ModelSet(models);
  const { runPrimary } = await import('../../server/cluster.js');
  return runPrimary({ workers, shutdownTimeoutMs, models: models.map((m) => m.name), auth: Boolean(token), onEvent });
}

/** One process, no cluster: for --workers 1. */
async function serveInProcess(
  options: import('../../server/server.js').ServeOptions,
  shutdownTimeoutMs: number,
  onEvent: import('../../server/events.js').ServeListener,
): Promise<number> {
  const { startServer } = await import('../../server/server.js');
  const started = Date.now();
  const server = await startServer(options);
  onEvent({
    type: 'listening',
    url: server.url,
    workers: 1,
    models: options.models.map((m) => m.name),
    auth: Boolean(options.token),
  });
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  onEvent({ type: 'draining', reason: signal });
  await server.close(shutdownTimeoutMs);
  onEvent({ type: 'stopped', ms: Date.now() - started });
  return 0;
}

async function version(): Promise<string> {
  const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
