import { UnrecoverableError, Worker, type Job, type Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { HostGate } from '../crawler/host-gate.ts';
import type { CandidateDocument, CrawlError, CrawlSiteOptions, CrawlSiteStats, FetchedSnapshot, Revalidator } from '../crawler/types.ts';
import { createLogger } from '../log.ts';
import { CrawlJobSchema, type CrawlJob, type ParseJob } from '../schema/jobs.ts';
import type { Archive, UrlKind } from '../store/archive.ts';
import { gzipBase64, type ArchiveJob, type ErrorArchiveJob } from './archive-jobs.ts';
import { CrawlContextUnknownError, loadCrawlContext, type CrawlContext } from './crawl-context.ts';
import { RedisHostGate } from './host-gate-redis.ts';
import { DEFAULT_PREFIX, enqueueParse, parseDocumentKey, parseJobId } from './queues.ts';
import { workerOptions, type BaseWorkerOptions } from './worker-options.ts';

const log = createLogger('crawl-worker');

export type CrawlSiteFn = (site: CrawlContext['site'], options: CrawlSiteOptions) => Promise<CrawlSiteStats>;

/**
 * Where a crawl's snapshots and errors go: straight into the archive when this process owns it (no
 * snapshot bytes through Redis), otherwise as `archive` jobs for the process that does.
 */
export interface CrawlSink {
  snapshot(s: FetchedSnapshot, crawlRunId: number): Promise<void>;
  error(e: ErrorArchiveJob['error']): Promise<void>;
}

// The archive's URL kinds have no 'api': a JSON/XML list endpoint is list data.
const URL_KIND: Record<FetchedSnapshot['kind'], UrlKind> = {
  page: 'page',
  list: 'list',
  report: 'report',
  attachment: 'attachment',
  robots: 'robots',
  api: 'list',
  asset: 'asset',
};

export function snapshotToArchiveInput(s: FetchedSnapshot, crawlRunId: number | null) {
  return {
    requestedUrl: s.requestedUrl,
    finalUrl: s.finalUrl,
    status: s.status === 0 ? null : s.status,
    headers: s.headers,
    body: s.body,
    fetchedAt: s.fetchedAt,
    contentType: s.contentType,
    siteId: s.siteId,
    crawlRunId,
    error: s.error ?? null,
    confirmsSha: s.confirmsSha ?? null,
    kind: URL_KIND[s.kind] ?? 'page',
    discoveredFrom: s.discoveredFrom,
    linkText: s.linkText,
  };
}

export function directSink(archive: Archive): CrawlSink {
  return {
    async snapshot(s, crawlRunId) {
      archive.putSnapshot(snapshotToArchiveInput(s, crawlRunId));
    },
    async error(e) {
      archive.recordError(e);
    },
  };
}

export function queueSink(archiveQueue: Queue<ArchiveJob>): CrawlSink {
  return {
    async snapshot(s, crawlRunId) {
      const { body, ...rest } = s;
      await archiveQueue.add('snapshot', {
        kind: 'snapshot',
        siteId: s.siteId,
        crawlRunId,
        snapshot: rest,
        bodyGzipBase64: body ? gzipBase64(body) : null,
      });
    },
    async error(e) {
      await archiveQueue.add('error', { kind: 'error', error: e });
    },
  };
}

const FETCH_CODES = new Set(['http_error', 'network', 'too_large', 'challenge']);

export type CrawlWorkerOptions = BaseWorkerOptions & {
  parseQueue: Queue<ParseJob>;
  sink: CrawlSink;
  /** Context for jobs of runs this process started; other runs are read from Redis. */
  localContext?: (siteId: string, crawlRunId: number) => CrawlContext | undefined;
  crawlSite?: CrawlSiteFn;
  /** Aborts running crawls (shutdown); the interrupted job fails and is retried later. */
  signal?: AbortSignal;
  /** Headless Chromium for script-built lists (default: the crawler's default). */
  browser?: boolean;
  /**
   * When this process owns the archive: has it stored a parse of these bytes (with these later pages, for a
   * report split over pages) by this parser? A finished parse job in Redis whose result the archive lacks
   * (archive replaced, Redis kept) is then re-run.
   */
  hasParse?: (sha256: string, partShas?: readonly string[]) => boolean;
  /** Files the archived parse of already-read bytes under another URL (a page that now serves them). */
  reuseParse?: (doc: { sha256: string; url: string; siteId: string; pageUrl: string | null }) => void;
  /** When this process owns the archive: conditional re-fetches from what it holds (per run's policy). */
  revalidator?: (policy: CrawlContext['recrawl']) => Revalidator;
  /** Per-host politeness for every crawl of this worker (default: held in the workers' Redis, shared by all). */
  hostGate?: HostGate;
};

let defaultCrawlSite: Promise<CrawlSiteFn> | undefined;
const loadCrawlSite = () => (defaultCrawlSite ??= import('../crawler/index.ts').then((m) => m.crawlSite));

export function createCrawlWorker(opts: CrawlWorkerOptions): Worker<CrawlJob, CrawlSiteStats> {
  const url = (opts.connection as { url?: string }).url;
  const redis = url ? new Redis(url, { maxRetriesPerRequest: 3 }) : new Redis(opts.connection as object);
  redis.on('error', () => {}); // the worker's own connection reports Redis trouble
  // One gate for all crawls of this process, held in Redis: sites sharing a host, other crawl runs and other
  // processes on this Redis all count against the same per-host limit.
  const ownGate = opts.hostGate ? null : new RedisHostGate({ connection: url ?? (opts.connection as object) });
  const hostGate = opts.hostGate ?? ownGate!;

  const processor = async (job: Job<CrawlJob, CrawlSiteStats>): Promise<CrawlSiteStats> => {
    const parsed = CrawlJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`malformed crawl job: ${parsed.error.message}`);
    const { siteId, crawlRunId } = parsed.data;
    let ctx = opts.localContext?.(siteId, crawlRunId);
    if (!ctx) {
      try {
        ctx = await loadCrawlContext(redis, siteId, crawlRunId, opts.prefix ?? DEFAULT_PREFIX);
      } catch (err) {
        if (err instanceof CrawlContextUnknownError) throw new UnrecoverableError(err.message);
        throw err;
      }
    }
    const crawlSite = opts.crawlSite ?? (await loadCrawlSite());
    const siteLog = log.child({ site: siteId, run: crawlRunId });
    siteLog.info({ home: ctx.site.home, attempt: job.attemptsMade + 1 }, 'crawl started');

    const stats = await crawlSite(ctx.site, {
      defaults: ctx.defaults,
      proxyUrl: ctx.proxyUrl ?? undefined,
      extraAllowHosts: ctx.extraAllowHosts,
      crawlRunId,
      signal: opts.signal,
      log: siteLog,
      gate: hostGate,
      ...(opts.browser === undefined ? {} : { browser: opts.browser }),
      ...(opts.revalidator ? { revalidate: opts.revalidator(ctx.recrawl) } : {}),
      ...(ctx.resumeLists?.length ? { resumeLists: ctx.resumeLists } : {}),
      onSnapshot: (s) => opts.sink.snapshot(s, crawlRunId),
      onDocument: async (d: CandidateDocument) => {
        // Bytes this parser already read (a re-crawl of an unchanged page, a copy at another URL): the
        // archive files its stored result under this URL, no parse job (the Redis that remembered the
        // finished job may be gone: private Redis data is removed after a run).
        const parts = d.continuation ?? [];
        if (
          opts.hasParse?.(
            d.sha256,
            parts.map((p) => p.sha256),
          )
        ) {
          opts.reuseParse?.({ sha256: d.sha256, url: d.url, siteId, pageUrl: d.role === 'attachment' ? d.parentUrl : null });
          return;
        }
        if (opts.hasParse) {
          const old = await opts.parseQueue.getJob(parseJobId(parseDocumentKey({ sha256: d.sha256, parts })));
          const state = old ? await old.getState() : null;
          if (state === 'completed' || state === 'failed') await old!.remove().catch(() => {});
        }
        await enqueueParse(
          { parse: opts.parseQueue },
          {
            sha256: d.sha256,
            url: d.url,
            siteId,
            contentType: d.contentType,
            role: d.role,
            parentUrl: d.parentUrl,
            linkText: d.linkText,
            bodyGzipBase64: gzipBase64(d.body),
            crawlRunId,
            charset: ctx.site.charset ?? null,
            ...(parts.length
              ? {
                  parts: parts.map((p) => ({
                    url: p.url,
                    sha256: p.sha256,
                    contentType: p.contentType,
                    bodyGzipBase64: gzipBase64(p.body),
                  })),
                }
              : {}),
          },
        );
      },
      onError: (e: CrawlError) =>
        opts.sink.error({
          stage: FETCH_CODES.has(e.code) ? 'fetch' : 'crawl',
          code: e.code,
          message: e.status ? `HTTP ${e.status}: ${e.message}` : e.message,
          siteId: e.siteId,
          crawlRunId,
          url: e.url,
        }),
    });
    if (opts.signal?.aborted) {
      // A partial crawl must not count as done: the job is retried (by this or another worker) later.
      throw new Error(`crawl of ${siteId} interrupted after ${stats.requests} requests`);
    }
    siteLog.info(
      { pages: stats.pagesFetched, requests: stats.requests, candidates: stats.candidates, errors: stats.errors },
      'crawl finished',
    );
    return stats;
  };

  const worker = new Worker<CrawlJob, CrawlSiteStats>('crawl', processor, workerOptions(opts));
  worker.on('failed', (job, err) => {
    log.warn({ site: job?.data.siteId, attempts: job?.attemptsMade, err: err.message }, 'crawl job failed');
    const final = job && (err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1));
    if (final) {
      opts.sink
        .error({
          stage: 'crawl',
          code: 'crawl_failed',
          message: err.message,
          siteId: job.data.siteId,
          crawlRunId: job.data.crawlRunId,
          url: null,
        })
        .catch(() => {});
    }
  });
  worker.on('error', (err) => log.error({ err: err.message }, 'crawl worker error'));
  worker.on('closed', () => {
    redis.disconnect();
    ownGate?.close().catch(() => {});
  });
  return worker;
}
