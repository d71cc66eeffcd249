import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreAgainstManifest } from '../../src/cli/commands/demo.ts';
import { EXTRACTOR_VERSION } from '../../src/parse/version.ts';
import { simSiteList, simSitesYaml, startSimWeb, type SimWeb } from '../../src/sim/index.ts';
import { Archive } from '../../src/store/archive.ts';
import { publishCrawlRun } from '../../src/workers/crawl-context.ts';
import { startPipeline } from '../../src/workers/pipeline.ts';
import { crawlJobId, enqueueCrawl, sleep } from '../../src/workers/queues.ts';
import { dropPrefix, runCli, testRedis, tmpDir, uniquePrefix } from '../unit/workers/helpers.ts';

// Three CMS families without scanned reports (OCR would dominate the run time) and without
// script-built lists (no Chromium needed).
const SITES = ['jiangle', 'lintao', 'maqin'];

let sim: SimWeb;
let redis: Awaited<ReturnType<typeof testRedis>>;
let tmp: ReturnType<typeof tmpDir>;
const prefixes: string[] = [];

beforeAll(async () => {
  [sim, redis] = await Promise.all([startSimWeb({ seed: 1, port: 0 }), testRedis()]);
  tmp = tmpDir('nianbao-pipeline-');
});
afterAll(async () => {
  for (const p of prefixes) await dropPrefix(redis.url, p);
  await Promise.all([sim?.close(), redis?.stop()]);
  tmp?.cleanup();
});

const reportRows = (archive: Archive) =>
  archive.db.prepare("SELECT id, url FROM reports WHERE status = 'report' ORDER BY id").all() as { id: number; url: string }[];

describe('crawl → parse → archive through BullMQ', () => {
  it('nianbao crawl archives every manifest report of the crawled sites exactly once; a re-crawl adds no duplicates', {
    timeout: 300_000,
  }, async () => {
    const config = path.join(tmp.dir, 'sites.sim.yaml');
    writeFileSync(config, simSitesYaml(sim.sites));
    const file = path.join(tmp.dir, 'pipeline.sqlite');
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const crawl = async () => {
      const args = [
        'crawl',
        '--config',
        config,
        '--proxy',
        sim.proxyUrl,
        '--archive',
        file,
        '--prefix',
        prefix,
        '--no-browser',
        ...SITES.flatMap((s) => ['--site', s]),
      ];
      // REDIS_URL: the test's Redis, so this test's queues can be inspected and removed afterwards.
      const saved = process.env.REDIS_URL;
      process.env.REDIS_URL = redis.url;
      try {
        return await runCli(...args);
      } finally {
        if (saved === undefined) delete process.env.REDIS_URL;
        else process.env.REDIS_URL = saved;
      }
    };

    const first = await crawl();
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/crawl run\s+#1 ok/);
    expect(first.out).toMatch(/sites\s+3 crawled/);

    let archive = Archive.open(file);
    let reports: { id: number; url: string }[];
    let snapshotsBefore: number;
    let parseRunsBefore: number;
    let lastParsedAt: string;
    try {
      const score = scoreAgainstManifest(archive, sim.manifest, new Set(SITES));
      expect(score.missing).toEqual([]);
      expect(score.found).toBe(score.expected);
      expect(score.duplicates).toBe(0);
      expect(score.falsePositives).toEqual([]);
      reports = reportRows(archive);
      expect(reports.length).toBe(score.expected);
      // Every response the crawler got is in the archive, bodies included.
      const missingBodies = archive.db
        .prepare('SELECT count(*) AS n FROM fetches WHERE status BETWEEN 200 AND 299 AND sha256 IS NULL')
        .get() as { n: number };
      expect(missingBodies.n).toBe(0);
      // Each PDF/Word document's extraction is stored once, at the current extractor version: a later parser
      // change parses that text instead of running pdf.js again.
      const binaries = archive.db
        .prepare(`SELECT DISTINCT snapshot_sha AS sha FROM parse_runs
          WHERE json_extract(nianbao_gunzip(result_gz), '$.source.kind') IN ('pdf', 'docx', 'doc', 'xls', 'image') ORDER BY 1`)
        .all();
      expect(binaries.length).toBeGreaterThan(0);
      expect(
        archive.db.prepare('SELECT snapshot_sha AS sha FROM extractions WHERE extractor_version = ? ORDER BY 1').all(EXTRACTOR_VERSION),
      ).toEqual(binaries);
      snapshotsBefore = archive.stats().snapshots;
      parseRunsBefore = archive.stats().parseRuns;
      lastParsedAt = (archive.db.prepare('SELECT max(parsed_at) AS t FROM parse_runs').get() as { t: string }).t;
    } finally {
      archive.close();
    }

    const second = await crawl();
    expect(second.code).toBe(0);
    expect(second.out).toMatch(/crawl run\s+#2 ok/);
    archive = Archive.open(file);
    try {
      expect(reportRows(archive)).toEqual(reports);
      // Identical bytes: nothing new stored, and no document parsed again (its parse job id
      // sha:version already exists; a re-parse would have rewritten parsed_at).
      // The frontier's order depends on timing, so run 2 may visit a page run 1 left for later; only
      // such newly visited URLs may add snapshots. A URL fetched in both runs got the same bytes: no new body.
      const newBodies = archive.db
        .prepare(`SELECT DISTINCT f2.requested_url AS url FROM fetches f2
        WHERE f2.crawl_run_id = 2 AND f2.sha256 NOT IN (SELECT sha256 FROM fetches WHERE crawl_run_id = 1 AND sha256 IS NOT NULL)`)
        .all() as { url: string }[];
      const fetchedInRun1 = archive.db.prepare('SELECT 1 FROM fetches WHERE crawl_run_id = 1 AND requested_url = ?');
      expect(newBodies.filter((r) => fetchedInRun1.get(r.url) !== undefined)).toEqual([]);
      expect(archive.stats().snapshots).toBe(snapshotsBefore + newBodies.length);
      expect(archive.stats().parseRuns).toBe(parseRunsBefore);
      expect((archive.db.prepare('SELECT max(parsed_at) AS t FROM parse_runs').get() as { t: string }).t).toBe(lastParsedAt);
      const runs = archive.db.prepare('SELECT crawl_run_id, count(*) AS n FROM fetches GROUP BY crawl_run_id ORDER BY 1').all() as {
        n: number;
      }[];
      expect(runs).toHaveLength(2);
    } finally {
      archive.close();
    }
  });

  it('recovers the jobs of a worker killed with SIGKILL mid-crawl: another worker finishes them, once', { timeout: 240_000 }, async () => {
    const list = simSiteList(sim.sites);
    const site = list.sites.find((s) => s.id === 'jiangle')!;
    const archive = Archive.open(path.join(tmp.dir, 'kill.sqlite'));
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    archive.upsertSite(site);
    const crawlRunId = archive.startCrawlRun({ test: 'kill' });
    await publishCrawlRun(redis.url, crawlRunId, { defaults: list.defaults, proxyUrl: sim.proxyUrl }, [site], prefix);

    // This process owns the archive; crawl and parse run in child processes that only know Redis.
    // Short enough for a quick test, long enough that a busy 2-core machine renews the lock in time.
    const tuning = { lockDurationMs: 10_000, stalledIntervalMs: 2_000 };
    const writer = startPipeline({ redisUrl: redis.url, prefix, archive, roles: { archive: true }, ...tuning });
    const children: ChildProcess[] = [];
    const startWorker = (n: number) => {
      const log = openSync(path.join(tmp.dir, `worker-${n}.log`), 'w');
      const child = spawn(process.execPath, ['bin/nianbao.js', 'work', '--crawl', '--parse', '--prefix', prefix, '--no-browser'], {
        cwd: path.resolve(import.meta.dirname, '../..'),
        env: {
          ...process.env,
          REDIS_URL: redis.url,
          NIANBAO_LOCK_MS: String(tuning.lockDurationMs),
          NIANBAO_STALLED_MS: String(tuning.stalledIntervalMs),
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', log, log],
      });
      children.push(child);
      return child;
    };
    try {
      await enqueueCrawl(writer.queues, { siteId: site.id, crawlRunId });
      const first = startWorker(1);
      const fetches = () =>
        (archive.db.prepare('SELECT count(*) AS n FROM fetches WHERE crawl_run_id = ?').get(crawlRunId) as { n: number }).n;
      const deadline = Date.now() + 90_000;
      while (fetches() < 8 && Date.now() < deadline) await sleep(100);
      expect(fetches()).toBeGreaterThanOrEqual(8);
      const job = await writer.queues.crawl.getJob(crawlJobId(site.id, crawlRunId));
      expect(await job!.getState()).toBe('active');
      first.kill('SIGKILL');
      await new Promise((r) => first.once('exit', r));

      startWorker(2);
      await writer.drain({ intervalMs: 200 });

      const done = await writer.queues.crawl.getJob(crawlJobId(site.id, crawlRunId));
      expect({ state: await done!.getState(), reason: done!.failedReason }).toEqual({ state: 'completed', reason: undefined });
      // Picked up from the stalled set, not from a retry after a failure.
      expect(done!.stalledCounter).toBeGreaterThanOrEqual(1);
      expect(done!.attemptsMade).toBe(1); // the successful one: no attempt failed
      expect(done!.attemptsStarted).toBe(2);

      const score = scoreAgainstManifest(archive, sim.manifest, new Set([site.id]));
      expect(score.missing).toEqual([]);
      expect(score.duplicates).toBe(0);
      expect(reportRows(archive).length).toBe(score.expected);
      const dupParses = archive.db
        .prepare(
          'SELECT count(*) AS n FROM (SELECT snapshot_sha FROM parse_runs GROUP BY snapshot_sha, parser_version HAVING count(*) > 1)',
        )
        .get() as { n: number };
      expect(dupParses.n).toBe(0);
      const failed = await writer.queues.parse.getJobCounts('failed');
      expect(failed.failed).toBe(0);
    } finally {
      if (process.env.NIANBAO_TEST_LOGS) for (const n of [1, 2]) console.log(readFileSync(path.join(tmp.dir, `worker-${n}.log`), 'utf8'));
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
      await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : null)));
      await writer.close();
      archive.close();
    }
  });
});
