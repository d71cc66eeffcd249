import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreAgainstManifest } from '../../src/cli/commands/demo.ts';
import { LIST_API_PATH } from '../../src/sim/families/jslist.ts';
import { simSiteList, startSimWeb, type SimWeb } from '../../src/sim/index.ts';
import { Archive } from '../../src/store/archive.ts';
import { unfinishedLists } from '../../src/store/unfinished-lists.ts';
import { runCrawl } from '../../src/workers/run-crawl.ts';
import { dropPrefix, testRedis, tmpDir, uniquePrefix } from '../unit/workers/helpers.ts';

// A busy machine slows the crawl, it does not shrink it: a script-built (Epoint-style) list whose data
// request never answers is rendered again with longer timeouts, then recorded as unfinished; the next run
// reads that list before anything else and archives the reports the first run missed.
const SITE = 'yuanbao'; // jslist family: the column is an empty shell filled from LIST_API_PATH

let stalled: SimWeb;
let healthy: SimWeb;
let redis: Awaited<ReturnType<typeof testRedis>>;
let tmp: ReturnType<typeof tmpDir>;
const prefixes: string[] = [];

beforeAll(async () => {
  // Same seed, same world: one server whose list API hangs (the first run), one that answers (the second).
  [stalled, healthy, redis] = await Promise.all([
    startSimWeb({ seed: 1, port: 0, faults: { stallPaths: [LIST_API_PATH] } }),
    startSimWeb({ seed: 1, port: 0 }),
    testRedis(),
  ]);
  tmp = tmpDir('nianbao-unfinished-');
});
afterAll(async () => {
  for (const p of prefixes) await dropPrefix(redis.url, p);
  await Promise.all([stalled?.close(), healthy?.close(), redis?.stop()]);
  tmp?.cleanup();
});

describe('lists left unread', () => {
  it('are retried, recorded as list_unfinished, and read first by the next run, which archives the missing reports', {
    timeout: 600_000,
  }, async () => {
    const list = simSiteList(stalled.sites);
    const sites = list.sites.filter((s) => s.id === SITE);
    // Short timeouts so a hung request fails in seconds; one request at a time per host, so the order of
    // the second run's fetches is the order its frontier chose.
    const defaults = { ...list.defaults, requestTimeoutSecs: 3, maxRetries: 0, maxConcurrencyPerHost: 1 };
    const archive = Archive.open(`${tmp.dir}/a.sqlite`);
    const run = (sim: SimWeb) => {
      const prefix = uniquePrefix();
      prefixes.push(prefix);
      return runCrawl({ archive, redisUrl: redis.url, prefix, sites, defaults, proxyUrl: sim.proxyUrl });
    };
    try {
      const first = await run(stalled);
      const stats1 = first.sites[0]!.stats!;
      const expected = scoreAgainstManifest(archive, healthy.manifest, new Set([SITE]));
      expect(expected.missing.length).toBeGreaterThan(0);

      const rows = archive.db
        .prepare(`SELECT url, message, crawl_run_id AS run FROM errors WHERE stage = 'crawl' AND code = 'list_unfinished' AND site_id = ?`)
        .all(SITE) as { url: string; message: string; run: number }[];
      expect(rows.length).toBeGreaterThan(0);
      expect(stats1.unfinishedLists).toBe(rows.length);
      for (const r of rows) {
        expect(r.run).toBe(first.crawlRunId);
        expect(r.message).toContain(`list ${r.url} left unread: after 3 renders`);
        expect(r.message).toMatch(/requests failed|still loading|render failed/);
      }
      // Retried: each unfinished list was fetched once over HTTP and then by each of its three renders.
      for (const r of rows) {
        const fetched = archive.db
          .prepare('SELECT count(*) AS n FROM fetches WHERE crawl_run_id = ? AND requested_url = ?')
          .get(first.crawlRunId, r.url) as { n: number };
        expect(fetched.n).toBeGreaterThanOrEqual(1 + 3);
      }
      const pending = unfinishedLists(archive.db, SITE).map((l) => l.url);
      expect(pending.sort()).toEqual(rows.map((r) => r.url).sort());

      const second = await run(healthy);
      expect(second.status).toBe('ok');
      // The unfinished lists came first: fetched before the home page.
      const firstFetch = (url: string) =>
        (
          archive.db
            .prepare('SELECT min(id) AS id FROM fetches WHERE crawl_run_id = ? AND requested_url = ?')
            .get(second.crawlRunId, url) as {
            id: number | null;
          }
        ).id;
      const home = firstFetch(sites[0]!.home);
      expect(home).not.toBeNull();
      for (const url of pending) {
        const at = firstFetch(url);
        expect(at).not.toBeNull();
        expect(at!).toBeLessThan(home!);
      }
      const score = scoreAgainstManifest(archive, healthy.manifest, new Set([SITE]));
      expect(score.missing).toEqual([]);
      expect(score.decoysArchived).toEqual([]);
      expect(score.duplicates).toBe(0);
      // Read now: no longer reported unfinished (the rows of the first run stay, as history).
      expect(unfinishedLists(archive.db, SITE)).toEqual([]);
      expect(second.sites[0]!.stats!.unfinishedLists ?? 0).toBe(0);
    } finally {
      archive.close();
    }
  });
});
