import http from 'node:http';
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SiteListSchema } from '../../../src/schema/site-config.ts';
import { buildSimWorld, simFamiliesYaml, simSitesYaml, startSimWeb, type SimWeb } from '../../../src/sim/index.ts';
import { routeKey } from '../../../src/sim/sites/build.ts';
import type { ManifestReport } from '../../../src/sim/sites/types.ts';

// The family sites' ground truth: every manifest entry resolves through the proxy to the report's text (through
// the body API for shells, across all parts for a split report), so recall and decoys score as for the classic sites.

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

function fetchVia(port: number, url: string, o: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: o.method ?? 'GET', path: url, headers: { Host: new URL(url).host, ...o.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const gbk = res.headers['content-type'] === 'text/html';
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            text: gbk ? iconv.decode(body, 'gbk') : body.toString('utf8'),
          });
        });
      },
    );
    req.on('error', reject);
    if (o.body) req.write(o.body);
    req.end();
  });
}

const SEED = 4;
let web: SimWeb;
beforeAll(async () => {
  web = await startSimWeb({ seed: SEED, include: 'families' });
}, 120_000);
afterAll(async () => {
  await web?.close();
});

/** The report's text as a client that knows the family gets it: the page, its API answer, all its parts. */
async function reportText(r: ManifestReport): Promise<string> {
  if (r.bodyVia) {
    const v = r.bodyVia;
    const reply = await fetchVia(web.port, v.url, {
      method: v.method,
      body: v.body,
      headers: v.contentType ? { 'Content-Type': v.contentType } : {},
    });
    expect(reply.status, v.url).toBe(200);
    return reply.text;
  }
  const pages = await Promise.all((r.parts ?? [r.url]).map((u) => fetchVia(web.port, u)));
  for (const p of pages) expect(p.status).toBe(200);
  return pages.map((p) => p.text).join('\n');
}

describe('family sites in the manifest', () => {
  it('has one site per family with real names and codes, apart from the demo world', () => {
    const families = web.sites.map((s) => s.family);
    expect(families).toEqual(['gkmlpt', 'epoint', 'lonsun', 'hanweb-xxgk', 'jpaas', 'aspnet', 'iframe', 'static']);
    for (const s of web.sites) {
      expect(s.mechanics?.length, s.id).toBeGreaterThan(0);
      expect(s.siteIdCode.startsWith(s.regionCode)).toBe(true);
    }
    const classic = buildSimWorld(SEED);
    expect(classic.manifest.sites.some((s) => web.sites.some((f) => f.id === s.id || f.host === s.host))).toBe(false);
    const all = buildSimWorld(SEED, 'all').manifest;
    expect(all.sites).toHaveLength(classic.manifest.sites.length + web.sites.length);
    expect(new Set(all.reports.map((r) => r.url)).size).toBe(all.reports.length);
  });

  it('leaves every page of the classic sites as it was', () => {
    const classic = buildSimWorld(SEED).sites;
    const all = buildSimWorld(SEED, 'all').sites;
    const pages = (sites: typeof classic) =>
      new Map(
        sites
          .flatMap((x) => [...x.routes])
          .map(([k, r]) => [
            k,
            r.kind === 'page' ? r.html : r.kind === 'raw' ? String(r.body) : r.kind === 'redirect' ? r.location : r.kind,
          ]),
      );
    const before = pages(classic);
    const after = pages(all);
    expect(before.size).toBeGreaterThan(1000);
    for (const [k, v] of before) expect(after.get(k), k).toBe(v);
  }, 60_000);

  it('is deterministic for a seed', () => {
    expect(buildSimWorld(SEED, 'families').manifest).toEqual(web.manifest);
    expect(buildSimWorld(SEED + 1, 'families').manifest.reports.map((r) => r.url)).not.toEqual(web.manifest.reports.map((r) => r.url));
  }, 60_000);

  it('config/sites.sim-families.yaml is the generated list, and config/sites.sim.yaml does not list the family sites', () => {
    const text = readFileSync(new URL('../../../config/sites.sim-families.yaml', import.meta.url), 'utf8');
    expect(text).toBe(simFamiliesYaml());
    const list = SiteListSchema.parse(YAML.parse(text));
    expect(list.sites.map((s) => s.home)).toEqual(web.sites.map((s) => s.home));
    expect(list.sites.find((s) => s.id === 'jinhu')!.allowHosts).toEqual(['xxgk.jinhu.gov.cn.test']);
    expect(simSitesYaml()).not.toContain('gddq');
  });

  it('resolves every HTML report to its text (year and 统计期限), through the body API or all parts where the manifest says so', async () => {
    const html = web.manifest.reports.filter((r) => r.kind === 'html');
    expect(html.length).toBeGreaterThan(80);
    for (const r of html) {
      const text = await reportText(r);
      expect(text, r.url).toContain('统计期限');
      expect(text, r.url).toContain(`${r.year}年`);
    }
    // what the manifest says needs more than one request is marked
    expect(html.filter((r) => r.bodyVia).length).toBeGreaterThan(20);
    expect(html.filter((r) => r.framedIn).length).toBeGreaterThan(5);
    expect(html.filter((r) => r.parts)).toHaveLength(1);
  }, 120_000);

  it('routes every attachment, alias and page; a sample of attachments answers real PDF/DOCX bytes', async () => {
    const world = buildSimWorld(SEED, 'families');
    const routes = new Map(world.sites.flatMap((s) => [...s.routes]));
    const docs = world.manifest.reports.filter((r) => r.kind !== 'html');
    expect(docs.length).toBeGreaterThan(20);
    for (const r of docs) {
      expect(routes.get(routeKey(new URL(r.url)))?.kind, r.url).toBe('document');
      expect(routes.has(routeKey(new URL(r.pageUrl ?? r.attachmentOf!))), r.url).toBe(true);
    }
    for (const r of world.manifest.reports) {
      for (const a of r.aliases ?? []) expect(routes.has(routeKey(new URL(a))) || routes.has(routeKey(new URL(a), false)), a).toBe(true);
      if (r.framedIn) expect(routes.get(routeKey(new URL(r.framedIn)))?.kind).toBe('page');
    }
    for (const kind of ['pdf', 'docx'] as const) {
      const r = docs.find((x) => x.kind === kind)!;
      const reply = await fetchVia(web.port, r.url);
      expect(reply.status).toBe(200);
      expect(reply.body.subarray(0, kind === 'pdf' ? 4 : 2).toString()).toBe(kind === 'pdf' ? '%PDF' : 'PK');
    }
  }, 120_000);

  it('serves every decoy, and none of them is a report', async () => {
    const decoys = web.manifest.decoys;
    expect(new Set(decoys.map((d) => d.type))).toEqual(
      new Set(['notice', 'work_report', 'statistics', 'budget', 'website_report', 'rule_of_law', 'graphic']),
    );
    const reportUrls = new Set(web.manifest.reports.flatMap((r) => [r.url, ...(r.aliases ?? []), ...(r.pageUrl ? [r.pageUrl] : [])]));
    for (const d of decoys) {
      expect(reportUrls.has(d.url)).toBe(false);
      expect((await fetchVia(web.port, d.url)).status, d.url).toBe(200);
    }
  }, 120_000);
});
