import { Command } from 'commander';
import { createLogger } from '../../log.ts';
import { positiveInt, type CommandContext } from './common.ts';
import { withRuntime } from './runtime.ts';

type WorkOpts = { archive?: string; crawl?: boolean; parse?: boolean; concurrency?: number; prefix?: string; browser: boolean };

/**
 * `nianbao work`: long-running workers sharing REDIS_URL. Crawl and parse workers need only Redis;
 * with --archive this process is also the archive's writer (run exactly one of those per archive).
 */
export function workCommand(ctx: CommandContext): Command {
  return new Command('work')
    .description('run crawl and/or parse workers (and, with --archive, the archive writer) until interrupted')
    .option('--archive <path>', 'own this SQLite archive: run its writer')
    .option('--crawl', 'run crawl workers')
    .option('--parse', 'run parse workers')
    .option('--concurrency <n>', 'jobs at once per worker kind', positiveInt('--concurrency'))
    .option('--prefix <prefix>', 'queue key prefix in Redis (one prefix per archive)')
    .option('--no-browser', 'never start headless Chromium for script-built lists')
    .action(async (opts: WorkOpts) => {
      // No role flag: every role this process can take.
      const none = !opts.crawl && !opts.parse;
      const roles = { crawl: opts.crawl || none, parse: opts.parse || none, archive: !!opts.archive };
      const log = createLogger('work');
      await withRuntime({ archivePath: opts.archive }, async ({ redis, archive }) => {
        if (redis.private) {
          log.warn({ url: redis.url }, 'no REDIS_URL: working on a private Redis only this process can reach');
        }
        if (!roles.archive && (roles.crawl || roles.parse)) {
          log.info('no --archive: results are queued for the process that owns the archive');
        }
        const { startPipeline } = await import('../../workers/pipeline.ts');
        const pipeline = startPipeline({
          redisUrl: redis.url,
          prefix: opts.prefix,
          archive,
          roles,
          crawlConcurrency: opts.concurrency,
          parseConcurrency: opts.concurrency,
          browser: opts.browser,
        });
        const names = Object.entries(roles).filter(([, on]) => on).map(([n]) => n);
        log.info({ roles: names.join(','), prefix: pipeline.queues.prefix }, 'workers started');
        ctx.stdout.write(`nianbao work: ${names.join(', ')} workers running (Ctrl-C to stop)\n`);
        let done = '';
        try {
          await new Promise<void>((resolve) => {
            if (ctx.signal.aborted) return resolve();
            ctx.signal.addEventListener('abort', () => resolve(), { once: true });
          });
          const c = await pipeline.counts().catch(() => null);
          if (c) done = names.map((n) => `${n} ${c[n as 'crawl'].done}`).join(', ');
        } finally {
          await pipeline.close();
        }
        // Being stopped is how a worker process ends: not an error.
        ctx.interruptHandled = true;
        ctx.stdout.write(`nianbao work: stopped${done ? ` (jobs done: ${done})` : ''}\n`);
      });
    });
}

