import path from 'node:path';
import { Command } from 'commander';
import { CliError, dataDirOf, positiveInt, writeLine, type CommandContext } from './common.ts';

type DashboardOpts = { port: number; host: string; prefix?: string; archive?: string };

/**
 * `nianbao dashboard`: bull-board over the crawl, parse, archive and schedule queues, for watching a
 * nightly crawl and retrying failed jobs. Loopback by default: bull-board has no login, and it can
 * retry and delete jobs.
 */
export function dashboardCommand(ctx: CommandContext): Command {
  return new Command('dashboard')
    .description('serve a web dashboard (bull-board) of the crawl/parse/archive queues of REDIS_URL')
    .option('--port <n>', 'port to listen on', positiveInt('--port'), 3000)
    .option('--host <addr>', 'address to listen on (anything but loopback exposes job controls without a login)', '127.0.0.1')
    .option('--prefix <prefix>', 'queue key prefix in Redis (as given to crawl/work)')
    .option(
      '--archive <path>',
      'without REDIS_URL: show the queues a private Redis kept beside this archive (no other nianbao may be running on it)',
    )
    .action(async (opts: DashboardOpts) => {
      if (!process.env.REDIS_URL && !opts.archive) {
        throw new CliError(
          'dashboard needs REDIS_URL (the Redis the workers use), or --archive FILE for the queues a private Redis kept beside it',
        );
      }
      const { ensureRedis } = await import('../../workers/redis.ts');
      const redis = await ensureRedis({
        dataDir: opts.archive ? dataDirOf(opts.archive) : path.resolve('data'),
        name: opts.archive ? path.basename(opts.archive).replace(/\.[^.]*$/, '') : undefined,
      });
      const { startDashboard } = await import('../dashboard.ts');
      let dash: Awaited<ReturnType<typeof startDashboard>> | undefined;
      try {
        dash = await startDashboard({ redisUrl: redis.url, prefix: opts.prefix, port: opts.port, host: opts.host });
        writeLine(ctx.stdout, `nianbao dashboard: ${dash.url} (queues ${dash.queues.join(', ')}; Ctrl-C to stop)`);
        await new Promise<void>((resolve) => {
          if (ctx.signal.aborted) return resolve();
          ctx.signal.addEventListener('abort', () => resolve(), { once: true });
        });
        ctx.interruptHandled = true;
      } finally {
        await dash?.close();
        await redis.stop();
      }
    });
}
