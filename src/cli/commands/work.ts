import { Command } from 'commander';
import { createLogger } from '../../log.ts';
import { CliError, DEFAULT_CONFIG, positiveInt, writeLine, type CommandContext } from './common.ts';
import { withRuntime } from './runtime.ts';

type WorkOpts = {
  archive?: string;
  crawl?: boolean;
  parse?: boolean;
  concurrency?: number;
  prefix?: string;
  browser: boolean;
  schedule?: string;
  tz: string;
  config: string;
  proxy?: string;
  reportIntervalDays?: number;
};

/**
 * `nianbao work`: long-running workers sharing REDIS_URL. Crawl and parse workers need only Redis;
 * with --archive this process is also the archive's writer (run exactly one of those per archive), and
 * with --schedule it registers the nightly crawl and starts each night's run.
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
    .option('--schedule <cron>', 'with --archive: crawl every site of --config on this cron pattern ("0 2 * * *": 02:00 every night)')
    .option('--tz <zone>', 'time zone of the --schedule pattern', 'Asia/Shanghai')
    .option('--config <file>', 'the site list the scheduled crawl reads (re-read at every run)', DEFAULT_CONFIG)
    .option('--proxy <url>', 'scheduled crawls send every request through this HTTP proxy')
    .option(
      '--report-interval-days <n>',
      'scheduled crawls reuse report pages and attachments fetched less than N days ago without a request',
      positiveInt('--report-interval-days'),
    )
    .action(async (opts: WorkOpts) => {
      if (opts.schedule && !opts.archive) {
        throw new CliError('--schedule needs --archive: the process that owns the archive starts the scheduled runs');
      }
      if (!opts.archive && !process.env.REDIS_URL) {
        // A private Redis is reachable by this process only: without the archive writer nothing would
        // ever consume what these workers produce.
        throw new CliError(
          'work without --archive needs REDIS_URL (the Redis of the process that owns the archive), e.g. REDIS_URL=redis://host:6379 nianbao work --crawl --parse',
        );
      }
      // No role flag: every role this process can take.
      const none = !opts.crawl && !opts.parse;
      const roles = { crawl: opts.crawl || none, parse: opts.parse || none, archive: !!opts.archive };
      // A worker outlives Redis restarts and may start before Redis does (a reboot, a service order):
      // it waits, saying so once per attempt, rather than exiting.
      const waitForRedis = { onWait: (line: string) => writeLine(ctx.stderr, `nianbao work: ${line}`), signal: ctx.signal };
      const { RedisUnavailableError } = await import('../../workers/redis.ts');
      try {
        await runWorkers(ctx, opts, roles, waitForRedis);
      } catch (err) {
        if (!(err instanceof RedisUnavailableError && ctx.signal.aborted)) throw err;
        // Stopped while still waiting for Redis: nothing was started, so nothing is wrong.
        ctx.interruptHandled = true;
        ctx.stdout.write('nianbao work: stopped before Redis answered\n');
      }
    });
}

async function runWorkers(
  ctx: CommandContext,
  opts: WorkOpts,
  roles: { crawl: boolean; parse: boolean; archive: boolean },
  waitForRedis: { onWait(line: string): void; signal: AbortSignal },
): Promise<void> {
  const schedulePattern = opts.schedule?.trim();
  const log = createLogger('work');
  await withRuntime({ archivePath: opts.archive, keepRedisData: true, waitForRedis }, async ({ redis, archive }) => {
    if (redis.private) {
      writeLine(ctx.stdout, 'nianbao work: no REDIS_URL: a private Redis only this process can reach; it does every role itself');
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
    let scheduler: { close(): Promise<void> } | undefined;
    let scheduleQueue: import('bullmq').Queue | undefined;
    const names = Object.entries(roles)
      .filter(([, on]) => on)
      .map(([n]) => n);
    try {
      if (schedulePattern) {
        const sched = await import('../../workers/schedule.ts');
        const { loadSiteList } = await import('../../config/index.ts');
        const connection = { url: redis.url };
        scheduleQueue = sched.openScheduleQueue(connection, pipeline.queues.prefix);
        const next = await sched.registerSchedule(scheduleQueue, schedulePattern, opts.tz).catch((err: Error) => {
          throw new CliError(`--schedule "${schedulePattern}" --tz ${opts.tz}: ${err.message}`);
        });
        scheduler = sched.createScheduleWorker({
          connection,
          prefix: pipeline.queues.prefix,
          redisUrl: redis.url,
          archive: archive!,
          queues: pipeline.queues,
          crawl: {
            loadSites: () => {
              const list = loadSiteList(opts.config);
              return { sites: list.sites, defaults: list.defaults };
            },
            proxyUrl: opts.proxy ?? null,
            ...(opts.reportIntervalDays ? { recrawl: { reportIntervalDays: opts.reportIntervalDays } } : {}),
          },
        });
        const at = next?.timestamp !== undefined ? new Date(next.timestamp + (next.opts.delay ?? 0)).toISOString() : 'unknown';
        writeLine(
          ctx.stdout,
          `nianbao work: crawl of every site in ${opts.config} scheduled "${schedulePattern}" (${opts.tz}); next run ${at}`,
        );
      }
      log.info({ roles: names.join(','), prefix: pipeline.queues.prefix }, 'workers started');
      ctx.stdout.write(`nianbao work: ${names.join(', ')} workers running (Ctrl-C to stop)\n`);
      await new Promise<void>((resolve) => {
        if (ctx.signal.aborted) return resolve();
        ctx.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    } finally {
      await scheduler?.close();
      await scheduleQueue?.close();
    }
    let done = '';
    try {
      const c = await pipeline.counts().catch(() => null);
      if (c) done = names.map((n) => `${n} ${c[n as 'crawl'].done}`).join(', ');
    } finally {
      await pipeline.close();
    }
    // Being stopped is how a worker process ends: not an error.
    ctx.interruptHandled = true;
    ctx.stdout.write(`nianbao work: stopped${done ? ` (jobs done: ${done})` : ''}\n`);
  });
}
