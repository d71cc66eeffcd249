import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSimWorld, simSiteList, type SimWorld } from '../../src/sim/index.ts';
import { startServer } from '../../src/sim/server.ts';
import type { Route } from '../../src/sim/sites/types.ts';
import { routeKey } from '../../src/sim/sites/build.ts';
import { Archive } from '../../src/store/archive.ts';
import { runCrawl } from '../../src/workers/run-crawl.ts';
import { dropPrefix, testRedis, tmpDir, uniquePrefix } from '../unit/workers/helpers.ts';

// Issue 10, incremental re-crawl: on the simulated web, a second crawl with nothing changed transfers at
// most 10 % of the first crawl's bytes and adds no snapshot; a changed report and a new report are
// archived by the next crawl. A classic site without script-built lists (no Chromium needed).
const SITE = 'maqin';

let world: SimWorld;
let server: Awaited<ReturnType<typeof startServer>>;
let redis: Awaited<ReturnType<typeof testRedis>>;
let tmp: ReturnType<typeof tmpDir>;
const prefix = uniquePrefix();

beforeAll(async () => {
  world = buildSimWorld(1);
  [server, redis] = await Promise.all([
    startServer({ port: 0, sites: world.sites, manifest: world.manifest, seed: world.seed }),
    testRedis(),
  ]);
  tmp = tmpDir('nianbao-recrawl-');
});
afterAll(async () => {
  await dropPrefix(redis.url, prefix);
  await Promise.all([server?.close(), redis?.stop()]);
  tmp?.cleanup();
});

/** Body bytes that crossed the wire in a crawl run: every response except 304s (which carry none). */
const transferred = (a: Archive, run: number) =>
  (
    a.db
      .prepare(`SELECT ifnull(sum(s.size), 0) AS n FROM fetches f JOIN snapshots s ON s.sha256 = f.sha256
    WHERE f.crawl_run_id = ? AND f.status IS NOT 304`)
      .get(run) as { n: number }
  ).n;
const count = (a: Archive, sql: string, ...args: unknown[]) => (a.db.prepare(sql).get(...args) as { n: number }).n;

describe('incremental re-crawl (conditional GET)', () => {
  it('re-crawls an unchanged site for a fraction of the bytes, then catches a changed and a new report', { timeout: 300_000 }, async () => {
    const archive = Archive.open(path.join(tmp.dir, 'recrawl.sqlite'));
    const list = simSiteList(world.manifest.sites);
    const sites = list.sites.filter((s) => s.id === SITE);
    const crawl = () =>
      runCrawl({
        archive,
        redisUrl: redis.url,
        prefix,
        sites,
        defaults: list.defaults,
        proxyUrl: `http://127.0.0.1:${server.port}`,
        browser: false,
      });
    try {
      const first = await crawl();
      expect(first.status).toBe('ok');
      const snapshots1 = count(archive, 'SELECT count(*) AS n FROM snapshots');
      const reports1 = count(archive, 'SELECT count(*) AS n FROM reports');
      const bytes1 = transferred(archive, first.crawlRunId);
      expect(reports1).toBeGreaterThan(3);

      const second = await crawl();
      expect(second.status).toBe('ok');
      const bytes2 = transferred(archive, second.crawlRunId);
      const notModified = count(archive, 'SELECT count(*) AS n FROM fetches WHERE crawl_run_id = ? AND status = 304', second.crawlRunId);
      console.log(
        `re-crawl of ${SITE}: first ${bytes1} bytes, second ${bytes2} bytes (${((100 * bytes2) / bytes1).toFixed(1)} %), ${notModified} answers 304`,
      );
      expect(bytes2).toBeLessThanOrEqual(0.1 * bytes1);
      expect(notModified).toBeGreaterThan(0);
      // No snapshot of a URL the first crawl fetched is added (nothing changed). A best-first crawl may
      // reach a page the first one left for later (pipeline.test.ts): that one is new, not a change.
      const added = archive.db
        .prepare(`SELECT f.requested_url FROM snapshots s JOIN fetches f ON f.sha256 = s.sha256
        WHERE s.first_seen >= (SELECT started_at FROM crawl_runs WHERE id = ?)`)
        .all(second.crawlRunId) as { requested_url: string }[];
      const knownBefore = archive.db.prepare('SELECT 1 FROM fetches WHERE requested_url = ? AND crawl_run_id = ?');
      expect(added.filter((r) => knownBefore.get(r.requested_url, first.crawlRunId))).toEqual([]);
      console.log(
        `snapshots: ${snapshots1} after the first crawl; the second added ${added.length} (${added.map((r) => r.requested_url).join(', ') || 'none'})`,
      );
      expect(count(archive, 'SELECT count(*) AS n FROM reports')).toBe(reports1);
      // Every 304 points at the snapshot it confirms.
      expect(
        count(archive, 'SELECT count(*) AS n FROM fetches WHERE crawl_run_id = ? AND status = 304 AND sha256 IS NULL', second.crawlRunId),
      ).toBe(0);

      // The county corrects one report page (other bytes, other figures) and publishes a new report.
      const site = world.sites.find((s) => s.info.id === SITE)!;
      const pages = site.reports.filter((r) => r.kind === 'html' && !r.attachmentOf);
      const [changed, donor, template] = [pages[0], pages[pages.length - 1], pages[1]];
      const route = (url: string) => site.routes.get(routeKey(new URL(url))) as Extract<Route, { kind: 'page' }>;
      route(changed.url).html = route(donor.url).html;
      const newPath = '/html/gknb/gknb2024/2025/0401/9990001.html';
      const newUrl = `http://www.${SITE}.gov.cn.test${newPath}`;
      const oldYear = String(template.year);
      site.routes.set(routeKey(new URL(newUrl)), { kind: 'page', html: route(template.url).html.replaceAll(`${oldYear}年`, '2011年') });
      const templatePath = new URL(template.url).pathname;
      let linked = 0;
      for (const r of site.routes.values()) {
        if (r.kind !== 'page' || r.html === route(template.url).html) continue;
        const anchor = new RegExp(
          `<a([^>]*)href="([^"]*${templatePath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})"([^>]*)>([\\s\\S]*?)</a>`,
        ).exec(r.html);
        if (!anchor) continue;
        const [, before, href, after, text] = anchor;
        const copy = `<a${before.replaceAll(oldYear, '2011')}href="${href.replace(templatePath, newPath)}"${after.replaceAll(oldYear, '2011')}>${text.replaceAll(oldYear, '2011')}</a>`;
        r.html = r.html.replace(anchor[0], `${copy}${anchor[0]}`);
        linked++;
      }
      expect(linked).toBeGreaterThan(0);

      const third = await crawl();
      expect(third.status).toBe('ok');
      const versions = archive.db
        .prepare(`SELECT v.version, v.figures_changed FROM report_versions v JOIN report_sources rs ON rs.report_id = v.report_id
        WHERE rs.url = ? ORDER BY v.version`)
        .all(changed.url) as { version: number; figures_changed: number }[];
      expect(versions.map((v) => v.version)).toEqual([1, 2]);
      expect(versions[1].figures_changed).toBeGreaterThan(0);
      expect(archive.findReportByUrl(newUrl)).toMatchObject({ year: 2011 });
    } finally {
      archive.close();
    }
  });
});
