import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simSiteList, startSimWeb, type SimWeb } from '../../../src/sim/index.ts';
import { Archive } from '../../../src/store/archive.ts';
import { startPipeline } from '../../../src/workers/pipeline.ts';
import { sleep } from '../../../src/workers/queues.ts';
import { createScheduleWorker, openScheduleQueue, registerSchedule, removeSchedule, SCHEDULER_ID } from '../../../src/workers/schedule.ts';
import { dropPrefix, testRedis, tmpDir, uniquePrefix } from './helpers.ts';

// A small classic site: no Chromium, no OCR.
const SITE = 'maqin';

let sim: SimWeb;
let redis: Awaited<ReturnType<typeof testRedis>>;
let tmp: ReturnType<typeof tmpDir>;
const prefix = uniquePrefix();

beforeAll(async () => {
  [sim, redis] = await Promise.all([startSimWeb({ seed: 1, port: 0 }), testRedis()]);
  tmp = tmpDir('nianbao-schedule-');
});
afterAll(async () => {
  await dropPrefix(redis.url, prefix);
  await Promise.all([sim?.close(), redis?.stop()]);
  tmp?.cleanup();
});

type Run = { id: number; status: string; args: string };

describe('scheduled crawl (BullMQ Job Scheduler)', () => {
  it('fires on a cron pattern, crawls every configured site, and never starts a run while the last one is going', {
    timeout: 240_000,
  }, async () => {
    const archive = Archive.open(path.join(tmp.dir, 'scheduled.sqlite'));
    const list = simSiteList(sim.sites);
    const sites = list.sites.filter((s) => s.id === SITE);
    expect(sites).toHaveLength(1);
    const pipeline = startPipeline({
      redisUrl: redis.url,
      prefix,
      archive,
      roles: { crawl: true, parse: true, archive: true },
      browser: false,
    });
    const connection = { url: redis.url };
    const queue = openScheduleQueue(connection, prefix);
    const scheduler = createScheduleWorker({
      connection,
      prefix,
      redisUrl: redis.url,
      archive,
      queues: pipeline.queues,
      finishIntervalMs: 300,
      crawl: { loadSites: () => ({ sites, defaults: list.defaults }), proxyUrl: sim.proxyUrl },
    });
    const runs = () => archive.db.prepare('SELECT id, status, args FROM crawl_runs ORDER BY id').all() as Run[];
    try {
      // Every second (six-field pattern with seconds), registered twice as a restarted process would.
      await registerSchedule(queue, '* * * * * *', 'Asia/Shanghai');
      await registerSchedule(queue, '* * * * * *', 'Asia/Shanghai');
      expect((await queue.getJobSchedulers()).map((s) => s.key)).toEqual([SCHEDULER_ID]);

      const deadline = Date.now() + 200_000;
      let maxRunning = 0;
      let firstFinished: Run | undefined;
      while (Date.now() < deadline && !firstFinished) {
        const rs = runs();
        maxRunning = Math.max(maxRunning, rs.filter((r) => r.status === 'running').length);
        firstFinished = rs.find((r) => r.status !== 'running');
        await sleep(200);
      }
      expect(firstFinished, 'no scheduled run finished').toBeDefined();
      const crawlJob = await pipeline.queues.crawl.getJob(`crawl:${SITE}:${firstFinished!.id}`);
      expect({ status: firstFinished!.status, reason: crawlJob?.failedReason }).toEqual({ status: 'ok', reason: undefined });
      expect(JSON.parse(firstFinished!.args)).toMatchObject({ command: 'schedule', sites: [SITE] });
      // The crawl took many seconds of firings; none started a second run meanwhile.
      expect(maxRunning).toBe(1);
      const skipped = (await queue.getCompleted()).filter((j) => j.returnvalue && 'skipped' in j.returnvalue);
      expect(skipped.length).toBeGreaterThan(0);
      const reports = (archive.db.prepare('SELECT count(*) AS n FROM reports WHERE site_id = ?').get(SITE) as { n: number }).n;
      expect(reports).toBeGreaterThan(0);
      expect(sim.manifest.reports.filter((r) => r.siteId === SITE).length).toBeGreaterThan(0);
    } finally {
      await removeSchedule(queue);
      await scheduler.close();
      await queue.close();
      await pipeline.close();
      archive.close();
    }
  });
});
