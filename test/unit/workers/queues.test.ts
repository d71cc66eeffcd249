import { Worker } from 'bullmq';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PARSER_VERSION } from '../../../src/parse/version.ts';
import {
  crawlJobId,
  parseJobId,
  archiveJobId,
  enqueueCrawl,
  enqueueParse,
  openQueues,
  waitForDrain,
  DEFAULT_JOB_OPTIONS,
  type NianbaoQueues,
} from '../../../src/workers/queues.ts';
import type { ParseJob } from '../../../src/schema/jobs.ts';
import { dropPrefix, testRedis, uniquePrefix } from './helpers.ts';

let redis: Awaited<ReturnType<typeof testRedis>>;
let prefix: string;
let queues: NianbaoQueues;
beforeAll(async () => {
  redis = await testRedis();
});
afterAll(async () => {
  await redis.stop();
});
beforeEach(() => {
  prefix = uniquePrefix();
  queues = openQueues({ connection: { url: redis.url }, prefix });
});
afterEach(async () => {
  await queues.close();
  await dropPrefix(redis.url, prefix);
});

const sha = 'a'.repeat(64);
const parseJob = (s = sha): ParseJob => ({
  sha256: s,
  url: 'http://x.gov.cn.test/a.html',
  siteId: 'x',
  contentType: 'text/html',
  role: 'report-page',
  parentUrl: null,
  linkText: null,
  bodyGzipBase64: '',
  crawlRunId: 1,
});

describe('job ids', () => {
  it('are kind:key:version', () => {
    expect(crawlJobId('yongxiu', 7)).toBe('crawl:yongxiu:7');
    expect(parseJobId(sha)).toBe(`parse:${sha}:${PARSER_VERSION}`);
    expect(parseJobId(sha, '2.0.1')).toBe(`parse:${sha}:2.0.1`);
  });

  it('never contain a fourth part, which BullMQ would refuse', () => {
    expect(parseJobId(sha, 'v2:beta')).toBe(`parse:${sha}:v2-beta`);
    expect(archiveJobId('snapshot', 'http://a/b')).toBe('archive:snapshot:http-//a/b');
  });
});

describe('queues', () => {
  it('ignore a job whose id already exists: a re-crawl enqueues each document once per parser version', async () => {
    await enqueueParse(queues, parseJob());
    await enqueueParse(queues, { ...parseJob(), url: 'http://x.gov.cn.test/copy.html' });
    await enqueueParse(queues, parseJob(), 'next-version');
    expect(await queues.parse.count()).toBe(2);
    const first = await queues.parse.getJob(parseJobId(sha));
    expect(first?.data.url).toBe('http://x.gov.cn.test/a.html');

    await enqueueCrawl(queues, { siteId: 'x', crawlRunId: 1 });
    await enqueueCrawl(queues, { siteId: 'x', crawlRunId: 1 });
    await enqueueCrawl(queues, { siteId: 'x', crawlRunId: 2 });
    expect(await queues.crawl.count()).toBe(2);
  });

  it('give jobs retries with exponential backoff and keep failed jobs', async () => {
    const job = await enqueueParse(queues, parseJob());
    expect(job.opts.attempts).toBeGreaterThanOrEqual(3);
    expect(job.opts.attempts).toBeLessThanOrEqual(5);
    expect(job.opts.backoff).toMatchObject({ type: 'exponential' });
    expect(job.opts.removeOnFail).toBe(false);
    expect(DEFAULT_JOB_OPTIONS.removeOnComplete.count).toBeGreaterThan(0);
  });

  it('retry a failing job with backoff and keep its error when attempts run out', async () => {
    const job = await queues.parse.add('parse', parseJob(), { jobId: parseJobId(sha), backoff: { type: 'exponential', delay: 20 } });
    let calls = 0;
    const worker = new Worker(
      queues.parse.name,
      async () => {
        calls++;
        throw new Error(`boom ${calls}`);
      },
      { connection: { url: redis.url }, prefix },
    );
    try {
      await waitForDrain(queues, { intervalMs: 50 });
      const failed = await queues.parse.getJob(job.id!);
      expect(await failed!.getState()).toBe('failed');
      expect(failed!.attemptsMade).toBe(job.opts.attempts);
      expect(failed!.failedReason).toBe(`boom ${job.opts.attempts}`);
    } finally {
      await worker.close();
    }
  });

  it('are isolated by prefix', async () => {
    const other = openQueues({ connection: { url: redis.url }, prefix: uniquePrefix() });
    try {
      await enqueueParse(queues, parseJob());
      expect(await other.parse.count()).toBe(0);
    } finally {
      await other.close();
      await dropPrefix(redis.url, other.prefix);
    }
  });
});

describe('waitForDrain', () => {
  it('waits for a chain crawl → parse → archive to finish', async () => {
    const order: string[] = [];
    const conn = { connection: { url: redis.url }, prefix };
    const workers = [
      new Worker(
        queues.crawl.name,
        async () => {
          await new Promise((r) => setTimeout(r, 150));
          await enqueueParse(queues, parseJob());
          order.push('crawl');
        },
        conn,
      ),
      new Worker(
        queues.parse.name,
        async () => {
          await new Promise((r) => setTimeout(r, 150));
          await queues.archive.add('archive', { kind: 'noop' } as never);
          order.push('parse');
        },
        conn,
      ),
      new Worker(
        queues.archive.name,
        async () => {
          await new Promise((r) => setTimeout(r, 150));
          order.push('archive');
        },
        conn,
      ),
    ];
    try {
      await enqueueCrawl(queues, { siteId: 'x', crawlRunId: 1 });
      await waitForDrain(queues, { intervalMs: 20 });
      expect(order).toEqual(['crawl', 'parse', 'archive']);
    } finally {
      await Promise.all(workers.map((w) => w.close()));
    }
  });

  it('returns when aborted', async () => {
    await enqueueCrawl(queues, { siteId: 'x', crawlRunId: 1 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    await waitForDrain(queues, { intervalMs: 20, signal: ac.signal });
    expect(await queues.crawl.count()).toBe(1);
  });
});
