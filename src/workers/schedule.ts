import os from 'node:os';
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { createLogger } from '../log.ts';
import type { CrawlDefaults, Site } from '../schema/site-config.ts';
import type { Archive, CrawlRunStatus } from '../store/archive.ts';
import { resumeListsOf } from '../store/unfinished-lists.ts';
import { publishCrawlRun, type CrawlRunSettings } from './crawl-context.ts';
import { crawlJobId, DEFAULT_PREFIX, enqueueCrawl, pendingCount, type NianbaoQueues } from './queues.ts';

// The nightly crawl: a BullMQ Job Scheduler in the `schedule` queue fires a job on a cron pattern; the
// process that owns the archive takes it, starts a crawl run and enqueues one crawl job per configured
// site; crawl and parse workers anywhere (`nianbao work --crawl --parse`) do the work; the same process
// marks the run finished once its crawl jobs are done and the parse and archive queues are empty.

const log = createLogger('schedule');

export const SCHEDULE_QUEUE = 'schedule';
export const SCHEDULER_ID = 'nightly-crawl';
export const DEFAULT_TZ = 'Asia/Shanghai';

export type ScheduledCrawl = {
  /** Sites and defaults as configured when the job fires (the config file is re-read each night). */
  loadSites: () => { sites: Site[]; defaults: CrawlDefaults };
  proxyUrl?: string | null;
  extraAllowHosts?: string[];
  /** Re-crawl policy of the scheduled runs (src/store/recrawl-policy.ts). */
  recrawl?: CrawlRunSettings['recrawl'];
};

export type ScheduleJobResult = { crawlRunId: number; sites: number } | { skipped: string; runningRun: number };

export function openScheduleQueue(connection: ConnectionOptions, prefix = DEFAULT_PREFIX): Queue {
  return new Queue(SCHEDULE_QUEUE, {
    connection,
    prefix,
    // A firing is cheap and its record small; failures stay visible (dashboard).
    defaultJobOptions: { attempts: 2, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
  });
}

/**
 * Registers (or updates: the scheduler id is fixed, so restarting `nianbao work --schedule` never adds
 * a second one) the cron pattern. Returns the next firing's job.
 */
export async function registerSchedule(queue: Queue, pattern: string, tz = DEFAULT_TZ) {
  return queue.upsertJobScheduler(SCHEDULER_ID, { pattern, tz }, { name: 'nightly-crawl', data: {} });
}

export async function removeSchedule(queue: Queue): Promise<boolean> {
  return queue.removeJobScheduler(SCHEDULER_ID);
}

const SCHEDULED = "json_extract(args, '$.command') = 'schedule'";
const LOST_AFTER_MS = 10 * 60_000;

/** The scheduled run still going, if any: the next firing must not start another. */
export function runningScheduledRun(archive: Archive): number | null {
  const row = archive.db.prepare(`SELECT id FROM crawl_runs WHERE status = 'running' AND ${SCHEDULED} ORDER BY id LIMIT 1`).get() as
    | { id: number }
    | undefined;
  return row?.id ?? null;
}

/** Starts one scheduled run: a crawl run in the archive and a crawl job per site. */
export async function startScheduledRun(
  archive: Archive,
  queues: Pick<NianbaoQueues, 'crawl' | 'prefix'>,
  redisUrl: string,
  cfg: ScheduledCrawl,
  firedAt: Date,
): Promise<ScheduleJobResult> {
  const running = runningScheduledRun(archive);
  if (running !== null) {
    log.warn({ run: running }, 'scheduled crawl due while the previous one is still going: skipped');
    return { skipped: 'the previous scheduled crawl is still going', runningRun: running };
  }
  const { sites, defaults } = cfg.loadSites();
  for (const s of sites) archive.upsertSite(s);
  const crawlRunId = archive.startCrawlRun(
    { command: 'schedule', firedAt: firedAt.toISOString(), sites: sites.map((s) => s.id) },
    undefined,
    `${os.hostname()}:${process.pid}`,
  );
  await publishCrawlRun(
    redisUrl,
    crawlRunId,
    {
      defaults,
      proxyUrl: cfg.proxyUrl ?? null,
      extraAllowHosts: cfg.extraAllowHosts ?? [],
      ...(cfg.recrawl ? { recrawl: cfg.recrawl } : {}),
    },
    sites,
    queues.prefix,
    resumeListsOf(archive.db, sites),
  );
  for (const s of sites) await enqueueCrawl(queues, { siteId: s.id, crawlRunId });
  log.info({ run: crawlRunId, sites: sites.length }, 'scheduled crawl started');
  return { crawlRunId, sites: sites.length };
}

/**
 * Finishes scheduled runs whose crawl jobs have all ended and whose documents have all been parsed and
 * archived (parse and archive queues empty). Returns the runs finished now.
 */
export async function finishScheduledRuns(
  archive: Archive,
  queues: Pick<NianbaoQueues, 'crawl' | 'parse' | 'archive'>,
): Promise<{ id: number; status: CrawlRunStatus }[]> {
  const runs = archive.db.prepare(`SELECT id, args, started_at FROM crawl_runs WHERE status = 'running' AND ${SCHEDULED}`).all() as {
    id: number;
    args: string;
    started_at: string;
  }[];
  const done: { id: number; status: CrawlRunStatus }[] = [];
  for (const run of runs) {
    const siteIds = (JSON.parse(run.args) as { sites?: string[] }).sites ?? [];
    let ok = 0;
    let failed = 0;
    const stats = { requests: 0, pagesFetched: 0, candidates: 0, errors: 0 };
    for (const siteId of siteIds) {
      const job = await queues.crawl.getJob(crawlJobId(siteId, run.id));
      const state = job ? await job.getState() : 'unknown';
      if (state === 'completed') {
        ok++;
        for (const k of Object.keys(stats) as (keyof typeof stats)[])
          stats[k] += (job!.returnvalue as Record<string, number> | null)?.[k] ?? 0;
      } else if (state === 'failed') failed++;
      // A job not (yet) in Redis: the run is still being enqueued, unless that was long ago (job lost).
      else if (state === 'unknown' && Date.now() - Date.parse(run.started_at) > LOST_AFTER_MS) failed++;
    }
    if (ok + failed < siteIds.length) continue;
    if ((await pendingCount(queues.parse)) > 0 || (await pendingCount(queues.archive)) > 0) continue;
    const status: CrawlRunStatus = failed === 0 ? 'ok' : ok === 0 ? 'failed' : 'partial';
    archive.finishCrawlRun(run.id, status, { sites: siteIds.length, sitesFailed: failed, ...stats });
    log.info({ run: run.id, status }, 'scheduled crawl finished');
    done.push({ id: run.id, status });
  }
  return done;
}

export type ScheduleWorkerOptions = {
  connection: ConnectionOptions;
  prefix?: string;
  redisUrl: string;
  archive: Archive;
  queues: NianbaoQueues;
  crawl: ScheduledCrawl;
  /** How often finished runs are looked for. */
  finishIntervalMs?: number;
};

export type ScheduleWorker = { worker: Worker; close(): Promise<void> };

/** The `schedule` queue's only consumer: the process that owns the archive (it writes the crawl run). */
export function createScheduleWorker(opts: ScheduleWorkerOptions): ScheduleWorker {
  const worker = new Worker(
    SCHEDULE_QUEUE,
    async (job: Job) => startScheduledRun(opts.archive, opts.queues, opts.redisUrl, opts.crawl, new Date(job.timestamp)),
    { connection: opts.connection, prefix: opts.prefix ?? DEFAULT_PREFIX, concurrency: 1 },
  );
  worker.on('error', (err) => log.error({ err: err.message }, 'schedule worker error'));
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    finishScheduledRuns(opts.archive, opts.queues)
      .catch((err) => log.warn({ err: (err as Error).message }, 'cannot check scheduled runs'))
      .finally(() => {
        busy = false;
      });
  }, opts.finishIntervalMs ?? 2_000);
  return {
    worker,
    async close() {
      clearInterval(timer);
      await worker.close();
    },
  };
}
