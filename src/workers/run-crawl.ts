import os from 'node:os';
import type { CrawlSiteStats } from '../crawler/types.ts';
import type { ProgressSnapshot } from './stage-counts.ts';
import { createLogger } from '../log.ts';
import type { CrawlDefaults, Site } from '../schema/site-config.ts';
import type { Archive, CrawlRunStatus } from '../store/archive.ts';
import { resumeListsOf } from '../store/unfinished-lists.ts';
import { publishCrawlRun, type CrawlRunSettings } from './crawl-context.ts';
import { startPipeline, type PipelineOptions } from './pipeline.ts';
import { crawlJobId, enqueueCrawl } from './queues.ts';

const log = createLogger('crawl-run');

export type RunCrawlOptions = Omit<PipelineOptions, 'roles' | 'archive' | 'localContext'> & {
  archive: Archive;
  sites: Site[];
  defaults: CrawlDefaults;
  proxyUrl?: string | null;
  extraAllowHosts?: string[];
  /** Re-crawl policy: `{full: true}` refetches everything unconditionally. */
  recrawl?: CrawlRunSettings['recrawl'];
  /** Recorded with the crawl run (what was asked for). */
  args?: unknown;
  /** false: only enqueue (workers elsewhere do the work); the run stays 'running'. */
  work?: boolean;
  signal?: AbortSignal;
  onProgress?: (s: ProgressSnapshot) => void;
};

export type SiteOutcome = { siteId: string; ok: boolean; stats?: CrawlSiteStats; error?: string };

export type RunCrawlResult = {
  crawlRunId: number;
  status: CrawlRunStatus;
  sites: SiteOutcome[];
  durationMs: number;
  progress?: ProgressSnapshot;
};

/**
 * One crawl run: sites into the archive, one crawl job per site, then (unless work is false) crawl,
 * parse and archive workers in this process until every queue is empty.
 */
export async function runCrawl(opts: RunCrawlOptions): Promise<RunCrawlResult> {
  const started = Date.now();
  const { archive } = opts;
  for (const s of opts.sites) archive.upsertSite(s);
  // Runs a killed process left 'running' would stay so forever: say what became of them.
  const interrupted = archive.markDeadRunsInterrupted(os.hostname(), isProcessAlive);
  if (interrupted.length) log.warn({ runs: interrupted }, 'crawl runs left running by a dead process marked interrupted');
  // A run this process works on is owned by it; an enqueue-only run belongs to workers elsewhere.
  const crawlRunId = archive.startCrawlRun(opts.args ?? null, undefined, opts.work === false ? null : `${os.hostname()}:${process.pid}`);
  const settings: CrawlRunSettings = {
    defaults: opts.defaults,
    proxyUrl: opts.proxyUrl ?? null,
    extraAllowHosts: opts.extraAllowHosts ?? [],
    ...(opts.recrawl ? { recrawl: opts.recrawl } : {}),
  };
  // Lists earlier runs left unread (a busy machine's render timeouts): each site's crawl starts with them.
  const resume = resumeListsOf(archive.db, opts.sites);
  const resumeCount = Object.values(resume).reduce((n, u) => n + u.length, 0);
  if (resumeCount) log.info({ run: crawlRunId, lists: resumeCount }, 'lists left unread by an earlier run are crawled first');
  // Published even when this process works alone: a `nianbao work --crawl` elsewhere may help.
  await publishCrawlRun(opts.redisUrl, crawlRunId, settings, opts.sites, opts.prefix, resume);
  const byId = new Map(opts.sites.map((s) => [s.id, s]));

  const pipeline = startPipeline({
    ...opts,
    archive,
    roles: opts.work === false ? {} : { crawl: true, parse: true, archive: true },
    localContext: (siteId, runId) =>
      runId === crawlRunId && byId.has(siteId)
        ? { ...settings, site: byId.get(siteId)!, ...(resume[siteId] ? { resumeLists: resume[siteId] } : {}) }
        : undefined,
  });
  let status: CrawlRunStatus = 'running';
  const outcomes: SiteOutcome[] = [];
  let progress: ProgressSnapshot | undefined;
  try {
    for (const s of opts.sites) {
      // The run id is new in this archive, so a job already holding its id was left in a shared Redis by
      // another archive; left there, it would make BullMQ silently skip this run's crawl.
      const stale = await pipeline.queues.crawl.getJob(crawlJobId(s.id, crawlRunId));
      if (stale) await stale.remove().catch(() => {});
      await enqueueCrawl(pipeline.queues, { siteId: s.id, crawlRunId });
    }
    log.info({ run: crawlRunId, sites: opts.sites.length }, 'crawl jobs enqueued');
    if (opts.work === false) return { crawlRunId, status, sites: [], durationMs: Date.now() - started };

    await pipeline.drain({ signal: opts.signal, onTick: opts.onProgress });
    progress = await pipeline.counts();
    for (const s of opts.sites) {
      const job = await pipeline.queues.crawl.getJob(crawlJobId(s.id, crawlRunId));
      const state = job ? await job.getState() : 'unknown';
      if (state === 'completed') outcomes.push({ siteId: s.id, ok: true, stats: job!.returnvalue as CrawlSiteStats });
      else outcomes.push({ siteId: s.id, ok: false, error: job?.failedReason || `crawl job ${state}` });
    }
    const ok = outcomes.filter((o) => o.ok).length;
    status = opts.signal?.aborted ? 'interrupted' : ok === outcomes.length ? 'ok' : ok === 0 ? 'failed' : 'partial';
  } catch (err) {
    status = 'failed';
    throw err;
  } finally {
    await pipeline.close();
    if (status !== 'running' || opts.signal?.aborted) {
      const totals = sumStats(outcomes);
      archive.finishCrawlRun(crawlRunId, status === 'running' ? 'interrupted' : status, {
        sites: outcomes.length,
        sitesFailed: outcomes.filter((o) => !o.ok).length,
        ...totals,
        durationMs: Date.now() - started,
      });
    }
  }
  return { crawlRunId, status, sites: outcomes, durationMs: Date.now() - started, progress };
}

export function sumStats(outcomes: SiteOutcome[]) {
  const t = { pagesFetched: 0, requests: 0, candidates: 0, reportPages: 0, attachments: 0, errors: 0, robotsBlocked: 0, browserRenders: 0 };
  for (const o of outcomes) {
    if (!o.stats) continue;
    for (const k of Object.keys(t) as (keyof typeof t)[]) t[k] += o.stats[k] ?? 0;
  }
  return t;
}

/** Whether a process with this pid exists on this host (signal 0 checks without signalling). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
