import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simSitesYaml, startSimWeb, type SimWeb } from '../../src/sim/index.ts';
import { Archive } from '../../src/store/archive.ts';
import { dropPrefix, runCli, testRedis, tmpDir, uniquePrefix } from '../unit/workers/helpers.ts';

// A report whose article continues on a second page (`<id>_2.html`, linked 下一页): the ASP.NET family of the
// simulated web publishes one (src/sim/families/aspnet.ts), with the true figures of the whole report.

let sim: SimWeb;
let redis: Awaited<ReturnType<typeof testRedis>>;
let tmp: ReturnType<typeof tmpDir>;
const prefix = uniquePrefix();

beforeAll(async () => {
  [sim, redis] = await Promise.all([startSimWeb({ seed: 1, port: 0, include: 'families' }), testRedis()]);
  tmp = tmpDir('nianbao-split-');
});
afterAll(async () => {
  await dropPrefix(redis.url, prefix);
  await Promise.all([sim?.close(), redis?.stop()]);
  tmp?.cleanup();
});

describe('a report split over pages', () => {
  it('is crawled whole, archived as one report that keeps every page, and re-parsed whole', { timeout: 300_000 }, async () => {
    const split = sim.manifest.reports.find((r) => (r.parts?.length ?? 0) > 1);
    expect(split, 'the simulated web has a report split over pages').toBeDefined();
    const config = path.join(tmp.dir, 'sites.sim.yaml');
    writeFileSync(config, simSitesYaml(sim.sites));
    const file = path.join(tmp.dir, 'split.sqlite');
    const common = ['--archive', file, '--prefix', prefix];
    const saved = process.env.REDIS_URL;
    process.env.REDIS_URL = redis.url;
    try {
      const crawled = await runCli(
        'crawl',
        '--config',
        config,
        '--proxy',
        sim.proxyUrl,
        ...common,
        '--no-browser',
        '--site',
        split!.siteId,
      );
      expect(crawled.code, crawled.err).toBe(0);

      const check = () => {
        const archive = Archive.open(file, { readonly: true });
        try {
          const report = archive.findReportByUrl(split!.url);
          expect(report, `report at ${split!.url}`).not.toBeNull();
          // The later pages belong to that report, never to a report of their own.
          for (const part of split!.parts!.slice(1)) expect(archive.findReportByUrl(part)?.id ?? report!.id).toBe(report!.id);
          const reportsOfSite = archive.db
            .prepare('SELECT count(*) AS n FROM reports WHERE url LIKE ?')
            .get(`${split!.url.replace(/\.html$/, '')}%`) as {
            n: number;
          };
          expect(reportsOfSite.n).toBe(1);
          expect(archive.pagePartsOf(report!.snapshot_sha).map((p) => p.url)).toEqual(split!.parts!.slice(1));
          // Every figure the report states, those of the tables on its second page included.
          const figures = archive.getFigures(report!.id);
          expect(Object.entries(split!.figures).filter(([k, v]) => figures[k] !== v)).toEqual([]);
          return Object.keys(figures).length;
        } finally {
          archive.close();
        }
      };
      const count = check();
      expect(count).toBeGreaterThanOrEqual(Object.keys(split!.figures).length);

      // From the archive alone: both pages' snapshots are read again as one document.
      const reparsed = await runCli('reparse', ...common, '--force');
      expect(reparsed.code, reparsed.err).toBe(0);
      expect(reparsed.out).toMatch(/figures changed\s+0\b/);
      expect(reparsed.out).toMatch(/no longer reports\s+0\b/);
      expect(check()).toBe(count);
    } finally {
      if (saved === undefined) delete process.env.REDIS_URL;
      else process.env.REDIS_URL = saved;
    }
  });
});
