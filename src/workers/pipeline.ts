import { setMaxListeners } from 'node:events';
import os from 'node:os';
import type { Worker } from 'bullmq';
import type { ProgressSnapshot } from './stage-counts.ts';
import { createLogger } from '../log.ts';
import { PARSER_VERSION } from '../parse/version.ts';
import type { Archive } from '../store/archive.ts';
import { createArchiveWriter, localArchiveOutlet, type ArchiveWriterOptions } from './archive-writer.ts';
import type { CrawlContext } from './crawl-context.ts';
import { createCrawlWorker, directSink, queueSink, type CrawlSiteFn } from './crawl-worker.ts';
import { createParseWorker, type ParseFn } from './parse-worker.ts';
import { archiveRevalidator, reuseParse } from './revalidator.ts';
import { openQueues, pendingCount, QUEUE_NAMES, waitForDrain, type NianbaoQueues, type QueueName } from './queues.ts';
import type { WorkerTuning } from './worker-options.ts';

const log = createLogger('pipeline');

export type PipelineOptions = WorkerTuning & {
  redisUrl: string;
  prefix?: string;
  /** The archive this process owns: enables the archive writer and direct snapshot writes. */
  archive?: Archive;
  roles: { crawl?: boolean; parse?: boolean; archive?: boolean };
  crawlConcurrency?: number;
  parseConcurrency?: number;
  localContext?: (siteId: string, crawlRunId: number) => CrawlContext | undefined;
  crawlSite?: CrawlSiteFn;
  parse?: ParseFn;
  parserVersion?: string;
  browser?: boolean;
  onParseSaved?: ArchiveWriterOptions['onParseSaved'];
};

export type Pipeline = {
  queues: NianbaoQueues;
  workers: Partial<Record<QueueName, Worker>>;
  /** Jobs finished by this process's workers, per queue. */
  counts(): Promise<ProgressSnapshot>;
  /** Resolves when every queue is empty (or the signal aborts). */
  drain(opts?: { signal?: AbortSignal; onTick?: (s: ProgressSnapshot) => void; intervalMs?: number }): Promise<void>;
  /** Aborts running crawls, waits for other running jobs, closes workers and queues. */
  close(): Promise<void>;
};

/** Parsing is CPU-bound and shares the cores with the crawler and SQLite: about one per spare core. */
// Two even on two cores: OCR runs in tesseract child processes, so one parse waiting on it leaves the
// event loop free for another.
export const defaultParseConcurrency = () => Math.max(2, Math.min(4, os.availableParallelism() - 1));

export function startPipeline(opts: PipelineOptions): Pipeline {
  const connection = { url: opts.redisUrl };
  const queues = openQueues({ connection, prefix: opts.prefix });
  const base = {
    connection,
    prefix: queues.prefix,
    lockDurationMs: opts.lockDurationMs,
    stalledIntervalMs: opts.stalledIntervalMs,
    maxStalledCount: opts.maxStalledCount,
  };
  const crawlAbort = new AbortController();
  // Every in-flight request of every crawl listens on it: dozens of listeners is the normal case.
  setMaxListeners(0, crawlAbort.signal);
  const workers: Partial<Record<QueueName, Worker>> = {};
  const finished: Record<QueueName, { done: number; failed: number }> = {
    crawl: { done: 0, failed: 0 },
    parse: { done: 0, failed: 0 },
    archive: { done: 0, failed: 0 },
  };

  if (opts.roles.archive) {
    if (!opts.archive) throw new Error('the archive writer needs the archive (--archive)');
    workers.archive = createArchiveWriter({ ...base, archive: opts.archive, onParseSaved: opts.onParseSaved });
  }
  if (opts.roles.parse) {
    workers.parse = createParseWorker({
      ...base,
      concurrency: opts.parseConcurrency ?? defaultParseConcurrency(),
      // Parsing beside the archive writer: results go straight into the archive, not through Redis and back.
      archiveQueue: opts.roles.archive ? localArchiveOutlet({ archive: opts.archive!, onParseSaved: opts.onParseSaved }) : queues.archive,
      parse: opts.parse,
      parserVersion: opts.parserVersion,
    });
  }
  if (opts.roles.crawl) {
    workers.crawl = createCrawlWorker({
      ...base,
      concurrency: opts.crawlConcurrency ?? 4,
      parseQueue: queues.parse,
      // Owning the archive, snapshots go straight in: no body bytes through Redis and back.
      sink: opts.archive ? directSink(opts.archive) : queueSink(queues.archive),
      localContext: opts.localContext,
      crawlSite: opts.crawlSite,
      signal: crawlAbort.signal,
      browser: opts.browser,
      hasParse: opts.archive ? (sha, parts) => opts.archive!.hasParse(sha, opts.parserVersion ?? PARSER_VERSION, parts) : undefined,
      revalidator: opts.archive ? (policy) => archiveRevalidator(opts.archive!, policy) : undefined,
      reuseParse: opts.archive ? (doc) => reuseParse(opts.archive!, doc, opts.parserVersion ?? PARSER_VERSION) : undefined,
    }) as unknown as Worker;
  }
  for (const name of QUEUE_NAMES) {
    const w = workers[name];
    if (!w) continue;
    w.on('completed', () => finished[name].done++);
    // Only a final failure counts; a failure that will be retried is still pending work.
    w.on('failed', (job) => {
      if (job && (job.finishedOn || job.attemptsMade >= (job.opts.attempts ?? 1))) finished[name].failed++;
    });
  }

  const counts = async (): Promise<ProgressSnapshot> => {
    const snap = {} as ProgressSnapshot;
    for (const name of QUEUE_NAMES) snap[name] = { ...finished[name], pending: await pendingCount(queues[name]) };
    return snap;
  };

  let closing: Promise<void> | undefined;
  return {
    queues,
    workers,
    counts,
    async drain(d = {}) {
      await waitForDrain(queues, {
        signal: d.signal,
        intervalMs: d.intervalMs,
        onTick: d.onTick
          ? (pending) =>
              d.onTick!(Object.fromEntries(QUEUE_NAMES.map((n) => [n, { ...finished[n], pending: pending[n] }])) as ProgressSnapshot)
          : undefined,
      });
    },
    close() {
      closing ??= (async () => {
        crawlAbort.abort();
        const ws = Object.values(workers).filter((w): w is Worker => !!w);
        // Crawl and parse first: their last results still flow into the archive queue.
        await Promise.all([workers.crawl?.close(), workers.parse?.close()]);
        await workers.archive?.close();
        await queues.close();
        log.debug({ workers: ws.length }, 'pipeline closed');
      })();
      return closing;
    },
  };
}
