import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { Queue, type ConnectionOptions, type DefaultJobOptions, type JobsOptions } from 'bullmq';
import { PARSER_VERSION } from '../parse/version.ts';
import type { ArchiveJob } from './archive-jobs.ts';
import type { CrawlJob, ParseJob } from '../schema/jobs.ts';

export const QUEUE_NAMES = ['crawl', 'parse', 'archive'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** Redis key prefix of every nianbao queue; tests pass a fresh one each so runs never see each other. */
export const DEFAULT_PREFIX = process.env.NIANBAO_QUEUE_PREFIX || 'nianbao';

// BullMQ accepts a ':' in a custom id only as exactly three ':'-separated parts (its repeatable-job
// format); ids are built as kind:key:version and any ':' inside a part is replaced.
const part = (s: string | number) => String(s).replace(/:/g, '-');

export const crawlJobId = (siteId: string, crawlRunId: number) => `crawl:${part(siteId)}:${part(crawlRunId)}`;
/** Same document bytes + same parser = same job: re-crawls and re-parses never parse twice. */
export const parseJobId = (sha256: string, parserVersion: string = PARSER_VERSION) => `parse:${part(sha256)}:${part(parserVersion)}`;
export const archiveJobId = (kind: string, key: string) => `archive:${part(kind)}:${part(key)}`;

export const DEFAULT_JOB_OPTIONS = {
  attempts: 4,
  // 2 s, 4 s, 8 s (±jitter): long enough for a flaky site or a restarting archive writer.
  backoff: { type: 'exponential', delay: 2_000, jitter: 0.25 },
  // Completed jobs are only an idempotency record (an existing id is not re-added); keep enough for a
  // re-crawl to dedupe against, but bound the memory. Failed jobs stay, with their error, for inspection.
  removeOnComplete: { count: 20_000, age: 14 * 24 * 3600 },
  removeOnFail: false,
} satisfies DefaultJobOptions;

const QUEUE_JOB_OPTIONS: Record<QueueName, DefaultJobOptions> = {
  // A crawl is many requests with their own retries; two whole-site attempts are enough.
  crawl: { ...DEFAULT_JOB_OPTIONS, attempts: 3 },
  parse: DEFAULT_JOB_OPTIONS,
  // A lost archive write loses data: retry longer.
  archive: { ...DEFAULT_JOB_OPTIONS, attempts: 6 },
};

export type JobPayloads = { crawl: CrawlJob; parse: ParseJob; archive: ArchiveJob };

export type QueueOptions = { connection: ConnectionOptions; prefix?: string };

export type NianbaoQueues = {
  crawl: Queue<CrawlJob>;
  parse: Queue<ParseJob>;
  archive: Queue<ArchiveJob>;
  prefix: string;
  close(): Promise<void>;
};

export function openQueue<N extends QueueName>(name: N, opts: QueueOptions): Queue<JobPayloads[N]> {
  return new Queue(name, {
    connection: opts.connection,
    prefix: opts.prefix ?? DEFAULT_PREFIX,
    defaultJobOptions: QUEUE_JOB_OPTIONS[name],
  }) as Queue<JobPayloads[N]>;
}

export function openQueues(opts: QueueOptions): NianbaoQueues {
  const crawl = openQueue('crawl', opts);
  const parse = openQueue('parse', opts);
  const archive = openQueue('archive', opts);
  return {
    crawl,
    parse,
    archive,
    prefix: opts.prefix ?? DEFAULT_PREFIX,
    async close() {
      await Promise.all([crawl.close(), parse.close(), archive.close()]);
    },
  };
}

export function enqueueCrawl(queues: Pick<NianbaoQueues, 'crawl'>, job: CrawlJob, opts: JobsOptions = {}) {
  return queues.crawl.add('crawl', job, { ...opts, jobId: crawlJobId(job.siteId, job.crawlRunId) });
}

/**
 * What a parse job reads: the document's sha256, or for a report split over pages a hash of all its pages'
 * hashes, so new later pages under an unchanged first page are a new job, not a duplicate of the old one.
 */
export function parseDocumentKey(job: Pick<ParseJob, 'sha256'> & { parts?: readonly { sha256: string }[] }): string {
  if (!job.parts?.length) return job.sha256;
  return createHash('sha256')
    .update([job.sha256, ...job.parts.map((p) => p.sha256)].join(','))
    .digest('hex');
}

export function enqueueParse(queues: Pick<NianbaoQueues, 'parse'>, job: ParseJob, parserVersion = PARSER_VERSION) {
  return queues.parse.add('parse', job, { jobId: parseJobId(parseDocumentKey(job), parserVersion) });
}

/** Jobs that still have work ahead of them (waiting, running, retry-delayed, prioritised). */
export async function pendingCount(queue: Queue): Promise<number> {
  const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
  return Object.values(c).reduce((a, b) => a + b, 0);
}

/**
 * Resolves when crawl, parse and archive are all empty. Jobs only flow crawl → parse → archive, so
 * reading the counts in that order cannot miss a job created behind the reading; two consecutive empty
 * readings guard against a job being between "added" and "visible" in a count.
 */
export async function waitForDrain(
  queues: Pick<NianbaoQueues, QueueName>,
  opts: { intervalMs?: number; signal?: AbortSignal; onTick?: (counts: Record<QueueName, number>) => void } = {},
): Promise<void> {
  const interval = opts.intervalMs ?? 250;
  let emptyReadings = 0;
  while (!opts.signal?.aborted) {
    const counts = {} as Record<QueueName, number>;
    for (const name of QUEUE_NAMES) counts[name] = await pendingCount(queues[name]);
    opts.onTick?.(counts);
    if (QUEUE_NAMES.every((n) => counts[n] === 0)) {
      if (++emptyReadings >= 2) return;
    } else {
      emptyReadings = 0;
    }
    await sleep(interval, opts.signal);
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Deletes every key under a queue prefix: a shared Redis must not fill up with one-off queues (demo, tests). */
export async function dropPrefix(url: string, prefix: string): Promise<void> {
  const c = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await c.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await c.del(...keys);
    } while (cursor !== '0');
  } finally {
    c.disconnect();
  }
}
