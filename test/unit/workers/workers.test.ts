import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CrawlSiteOptions, CrawlSiteStats, FetchedSnapshot } from '../../../src/crawler/types.ts';
import { PARSER_VERSION } from '../../../src/parse/version.ts';
import type { ParseResult } from '../../../src/schema/parse-result.ts';
import { CrawlDefaultsSchema, type Site } from '../../../src/schema/site-config.ts';
import { Archive } from '../../../src/store/archive.ts';
import { applyArchiveJob, localArchiveOutlet } from '../../../src/workers/archive-writer.ts';
import { gunzipBase64, gzipBase64 } from '../../../src/workers/archive-jobs.ts';
import { publishCrawlRun } from '../../../src/workers/crawl-context.ts';
import { processParseJob } from '../../../src/workers/parse-worker.ts';
import { startPipeline, type Pipeline } from '../../../src/workers/pipeline.ts';
import { crawlJobId, enqueueCrawl, openQueues, parseJobId, type NianbaoQueues } from '../../../src/workers/queues.ts';
import { dropPrefix, testRedis, tmpDir, uniquePrefix } from './helpers.ts';

let redis: Awaited<ReturnType<typeof testRedis>>;
let tmp: ReturnType<typeof tmpDir>;
let prefix: string;
let archive: Archive;
let queues: NianbaoQueues;
const pipelines: Pipeline[] = [];
beforeAll(async () => {
  redis = await testRedis();
});
afterAll(async () => {
  await redis.stop();
});
beforeEach(() => {
  tmp = tmpDir('nianbao-workers-');
  prefix = uniquePrefix();
  archive = Archive.open(path.join(tmp.dir, 'a.sqlite'));
  queues = openQueues({ connection: { url: redis.url }, prefix });
});
afterEach(async () => {
  await Promise.all(pipelines.splice(0).map((p) => p.close()));
  await queues.close();
  await dropPrefix(redis.url, prefix);
  archive.close();
  tmp.cleanup();
});

const SITE: Site = { id: 'x', name: '某县', regionCode: '360425', home: 'http://www.x.gov.cn.test/', allowHosts: [], maxPages: 10 };
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const REPORT_HTML = Buffer.from('<html><title>某县2023年政府信息公开工作年度报告</title><body>报告</body></html>');
const PAGE_HTML = Buffer.from('<html><body><a href="/r.html">某县2023年政府信息公开工作年度报告</a></body></html>');

const result = (over: Partial<ParseResult> = {}): ParseResult => ({
  isReport: true,
  title: '某县2023年政府信息公开工作年度报告',
  year: 2023,
  region: { name: '某县', code: '360425' },
  issuer: null,
  publishedAt: null,
  format: '2021',
  figures: { 'applications.new.total': 12 },
  checks: [],
  warnings: [],
  ...over,
});

const snapshot = (url: string, body: Buffer, kind: FetchedSnapshot['kind'], fetchedAt: string): FetchedSnapshot => ({
  requestedUrl: url,
  finalUrl: url,
  status: 200,
  headers: { 'content-type': 'text/html' },
  body,
  fetchedAt,
  contentType: 'text/html',
  sha256: sha(body),
  siteId: SITE.id,
  kind,
  discoveredFrom: null,
  linkText: null,
});

/** A crawler stand-in: two pages, one of them a report. */
async function fakeCrawl(site: Site, o: CrawlSiteOptions): Promise<CrawlSiteStats> {
  const t = new Date().toISOString();
  await o.onSnapshot(snapshot(site.home, PAGE_HTML, 'page', t));
  await o.onSnapshot(snapshot(new URL('/r.html', site.home).href, REPORT_HTML, 'report', t));
  await o.onDocument({
    url: new URL('/r.html', site.home).href,
    sha256: sha(REPORT_HTML),
    body: REPORT_HTML,
    contentType: 'text/html',
    role: 'report-page',
    parentUrl: site.home,
    linkText: '年度报告',
    title: null,
  });
  await o.onError?.({ siteId: site.id, url: new URL('/gone', site.home).href, code: 'http_error', status: 404, message: 'HTTP 404' });
  return { siteId: site.id, pagesFetched: 2, requests: 3 } as CrawlSiteStats;
}

const fakeParse = async (bytes: Uint8Array) =>
  Buffer.from(bytes).includes(Buffer.from('年度报告')) ? result() : result({ isReport: false, figures: {} });

describe('parse worker', () => {
  const job = (over: object = {}) => ({
    data: {
      sha256: sha(REPORT_HTML),
      url: 'http://www.x.gov.cn.test/r.html',
      siteId: 'x',
      contentType: 'text/html',
      role: 'report-page' as const,
      parentUrl: null,
      linkText: null,
      bodyGzipBase64: gzipBase64(REPORT_HTML),
      crawlRunId: 1,
      ...over,
    },
    attemptsMade: 0,
    opts: { attempts: 3 },
  });

  it('parses the bytes of the job and queues the result for the archive', async () => {
    let seen: { bytes: Buffer; info: object } | undefined;
    const out = await processParseJob(job(), {
      archiveQueue: queues.archive,
      parse: async (bytes, info) => {
        seen = { bytes: Buffer.from(bytes), info };
        return result();
      },
    });
    expect(out).toEqual({ isReport: true, figures: 1 });
    expect(seen!.bytes.equals(REPORT_HTML)).toBe(true);
    expect(seen!.info).toEqual({ filename: 'r.html', url: 'http://www.x.gov.cn.test/r.html', contentType: 'text/html' });
    const jobs = await queues.archive.getJobs(['waiting']);
    expect(jobs).toHaveLength(1);
    expect(jobs[0].data).toMatchObject({
      kind: 'parse-result',
      parserVersion: PARSER_VERSION,
      source: { url: 'http://www.x.gov.cn.test/r.html' },
    });
    expect(jobs[0].data).not.toHaveProperty('source.bodyGzipBase64');
  });

  it('refuses bytes that do not hash to the job sha, without retrying', async () => {
    const err = await processParseJob(job({ bodyGzipBase64: gzipBase64(PAGE_HTML) }), {
      archiveQueue: queues.archive,
      parse: fakeParse,
    }).catch((e) => e);
    expect(err.name).toBe('UnrecoverableError');
    expect(err.message).toMatch(/hashes to/);
  });

  it('records a bad document as an error and does not retry it', async () => {
    const bad = Object.assign(new Error('encrypted PDF'), { name: 'DocumentError', code: 'encrypted' });
    const err = await processParseJob(job(), {
      archiveQueue: queues.archive,
      parse: async () => {
        throw bad;
      },
    }).catch((e) => e);
    expect(err.name).toBe('UnrecoverableError');
    const [e] = await queues.archive.getJobs(['waiting']);
    expect(e.data).toMatchObject({
      kind: 'error',
      error: { stage: 'parse', code: 'document_encrypted', url: 'http://www.x.gov.cn.test/r.html' },
    });
  });

  it('lets an unexpected parser failure retry, recording it only on the last attempt', async () => {
    const boom = async () => {
      throw new Error('parser bug');
    };
    await expect(processParseJob(job(), { archiveQueue: queues.archive, parse: boom })).rejects.toThrow('parser bug');
    expect(await queues.archive.count()).toBe(0);
    await expect(processParseJob({ ...job(), attemptsMade: 2 }, { archiveQueue: queues.archive, parse: boom })).rejects.toThrow(
      'parser bug',
    );
    expect(await queues.archive.count()).toBe(1);
  });

  it('beside the archive writer, saves the result in the archive before the job completes, with nothing through Redis', async () => {
    archive.upsertSite(SITE);
    archive.putSnapshot({
      requestedUrl: 'http://www.x.gov.cn.test/r.html',
      status: 200,
      body: REPORT_HTML,
      contentType: 'text/html',
      kind: 'report',
    });
    const saved: string[] = [];
    const outlet = localArchiveOutlet({ archive, onParseSaved: (j, s) => saved.push(`${j.source.url} ${s.isNewReport}`) });
    await processParseJob(job(), { archiveQueue: outlet, parse: async () => result() });
    expect(saved).toEqual(['http://www.x.gov.cn.test/r.html true']);
    expect(archive.getFigures(archive.findReportByUrl('http://www.x.gov.cn.test/r.html')!.id)).toEqual({ 'applications.new.total': 12 });
    expect(await queues.archive.count()).toBe(0);
    // Results that arrive together share a transaction; input the archive refuses fails only its own job, for
    // good, with an error row naming it, and the other result of the batch is saved.
    const second = 'http://www.x.gov.cn.test/r2.html';
    archive.putSnapshot({ requestedUrl: second, status: 200, body: REPORT_HTML, contentType: 'text/html', kind: 'report' });
    const [bad, good] = await Promise.allSettled([
      processParseJob(job(), {
        archiveQueue: outlet,
        parse: async () => ({ ...result(), figures: { 'applications.new.total': 'twelve' } }) as unknown as ParseResult,
      }),
      processParseJob(job({ url: second }), { archiveQueue: outlet, parse: async () => result({ year: 2024 }) }),
    ]);
    expect(good.status).toBe('fulfilled');
    expect(archive.findReportByUrl(second)).not.toBeNull();
    expect(bad.status === 'rejected' && (bad.reason as Error).name).toBe('UnrecoverableError');
    const row = archive.db.prepare("SELECT code, url FROM errors WHERE stage = 'archive'").get();
    expect(row).toEqual({ code: 'invalid_input', url: 'http://www.x.gov.cn.test/r.html' });
  });
});

describe('archive writer', () => {
  it('applies snapshot, parse-result and error jobs idempotently: a replay leaves the same rows', () => {
    archive.upsertSite(SITE);
    const run = archive.startCrawlRun();
    const t = '2026-11-29T10:00:00.000Z';
    const { body, ...snap } = snapshot('http://www.x.gov.cn.test/r.html', REPORT_HTML, 'report', t);
    const jobs = [
      { kind: 'snapshot' as const, siteId: 'x', crawlRunId: run, snapshot: snap, bodyGzipBase64: gzipBase64(body!) },
      {
        kind: 'parse-result' as const,
        parserVersion: PARSER_VERSION,
        result: result(),
        source: {
          sha256: sha(REPORT_HTML),
          url: snap.requestedUrl,
          siteId: 'x',
          contentType: 'text/html',
          role: 'report-page' as const,
          parentUrl: 'http://www.x.gov.cn.test/list.html',
          linkText: null,
          crawlRunId: run,
        },
      },
      {
        kind: 'error' as const,
        error: {
          stage: 'fetch' as const,
          code: 'http_error',
          message: 'HTTP 404',
          url: 'http://www.x.gov.cn.test/gone',
          siteId: 'x',
          crawlRunId: run,
        },
      },
    ];
    const counts = () =>
      archive.db
        .prepare(`SELECT (SELECT count(*) FROM fetches) f, (SELECT count(*) FROM snapshots) s,
      (SELECT count(*) FROM parse_runs) p, (SELECT count(*) FROM reports) r, (SELECT count(*) FROM figures) g, (SELECT count(*) FROM errors) e`)
        .get();
    for (const j of jobs) applyArchiveJob(archive, j);
    const once = counts();
    expect(once).toEqual({ f: 1, s: 1, p: 1, r: 1, g: 1, e: 1 });
    for (const j of jobs) applyArchiveJob(archive, j);
    expect(counts()).toEqual(once);
    // A report page's parent is the list it was found on, not a page it is an attachment of.
    const report = archive.findReportByUrl(snap.requestedUrl)!;
    expect(report.page_url).toBeNull();
    expect(archive.getSnapshotBody(sha(REPORT_HTML))!.equals(REPORT_HTML)).toBe(true);
  });
});

describe('crawl worker', () => {
  it('crawls a site published in Redis, with snapshots via the archive queue when it does not own the archive', async () => {
    archive.upsertSite(SITE);
    const run = archive.startCrawlRun();
    await publishCrawlRun(redis.url, run, { defaults: CrawlDefaultsSchema.parse({}), proxyUrl: 'http://127.0.0.1:9' }, [SITE], prefix);
    let proxySeen: string | undefined;
    const crawler = startPipeline({
      redisUrl: redis.url,
      prefix,
      roles: { crawl: true, parse: true },
      parse: fakeParse,
      crawlSite: async (site, o) => {
        proxySeen = o.proxyUrl;
        return fakeCrawl(site, o);
      },
    });
    const writer = startPipeline({ redisUrl: redis.url, prefix, archive, roles: { archive: true } });
    pipelines.push(crawler, writer);
    await enqueueCrawl(queues, { siteId: 'x', crawlRunId: run });
    await writer.drain({ intervalMs: 50 });

    expect(proxySeen).toBe('http://127.0.0.1:9');
    const job = await queues.crawl.getJob(crawlJobId('x', run));
    expect(await job!.getState()).toBe('completed');
    expect(job!.returnvalue).toMatchObject({ siteId: 'x', pagesFetched: 2 });
    const parseJob = await queues.parse.getJob(parseJobId(sha(REPORT_HTML)));
    expect(gunzipBase64(parseJob!.data.bodyGzipBase64!).equals(REPORT_HTML)).toBe(true);
    expect(archive.stats()).toMatchObject({ fetches: 2, snapshots: 2, reports: 1, errors: 1 });
    const err = archive.db.prepare('SELECT stage, code, crawl_run_id FROM errors').get();
    expect(err).toEqual({ stage: 'fetch', code: 'http_error', crawl_run_id: run });
  });

  it('fails a job whose site the run never published, without retrying, and records why', async () => {
    const crawler = startPipeline({ redisUrl: redis.url, prefix, archive, roles: { crawl: true, archive: true }, crawlSite: fakeCrawl });
    pipelines.push(crawler);
    await enqueueCrawl(queues, { siteId: 'nowhere', crawlRunId: 42 });
    await crawler.drain({ intervalMs: 50 });
    const job = await queues.crawl.getJob(crawlJobId('nowhere', 42));
    expect(await job!.getState()).toBe('failed');
    expect(job!.attemptsMade).toBe(1);
    expect(job!.failedReason).toMatch(/no settings for site "nowhere"/);
    await new Promise((r) => setTimeout(r, 100));
    expect(archive.db.prepare('SELECT stage, code FROM errors').all()).toEqual([{ stage: 'crawl', code: 'crawl_failed' }]);
  });

  it('re-runs a finished parse job whose result the owned archive lacks (archive replaced, Redis kept)', async () => {
    archive.upsertSite(SITE);
    const run = archive.startCrawlRun();
    await publishCrawlRun(redis.url, run, { defaults: CrawlDefaultsSchema.parse({}) }, [SITE], prefix);
    let parses = 0;
    const parse = async (b: Uint8Array) => {
      parses++;
      return fakeParse(b);
    };
    const p1 = startPipeline({
      redisUrl: redis.url,
      prefix,
      archive,
      roles: { crawl: true, parse: true, archive: true },
      crawlSite: fakeCrawl,
      parse,
    });
    pipelines.push(p1);
    await enqueueCrawl(queues, { siteId: 'x', crawlRunId: run });
    await p1.drain({ intervalMs: 50 });
    expect(parses).toBe(1);

    // Same archive, second run: the finished job stands for a stored parse, so nothing is parsed again.
    const run2 = archive.startCrawlRun();
    await publishCrawlRun(redis.url, run2, { defaults: CrawlDefaultsSchema.parse({}) }, [SITE], prefix);
    await enqueueCrawl(queues, { siteId: 'x', crawlRunId: run2 });
    await p1.drain({ intervalMs: 50 });
    expect(parses).toBe(1);

    // A new archive on the same Redis: the finished job must not hide the document from it.
    const fresh = Archive.open(path.join(tmp.dir, 'fresh.sqlite'));
    try {
      fresh.upsertSite(SITE);
      const run3 = fresh.startCrawlRun();
      await publishCrawlRun(redis.url, run3 + 100, { defaults: CrawlDefaultsSchema.parse({}) }, [SITE], prefix);
      const p2 = startPipeline({
        redisUrl: redis.url,
        prefix,
        archive: fresh,
        roles: { crawl: true, parse: true, archive: true },
        crawlSite: fakeCrawl,
        parse,
      });
      pipelines.push(p2);
      await p1.close();
      fresh.db.prepare('INSERT INTO crawl_runs (id, started_at) VALUES (?, ?)').run(run3 + 100, new Date().toISOString());
      await enqueueCrawl(queues, { siteId: 'x', crawlRunId: run3 + 100 });
      await p2.drain({ intervalMs: 50 });
      expect(parses).toBe(2);
      expect(fresh.stats().reports).toBe(1);
      await p2.close();
    } finally {
      fresh.close();
    }
  });
});
