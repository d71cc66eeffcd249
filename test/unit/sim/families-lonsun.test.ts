import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimWeb, type SimWeb } from '../../../src/sim/index.ts';
import { fetchVia } from './proxy-client.ts';

// The Lonsun family, fetched through the sim proxy the way a crawler would: organ tree → each organ's catalogue
// → its 政府信息公开年报 list → articles under the organ, some of them shells filled by the content API.

let web: SimWeb;
const site = () => web.sites.find((s) => s.id === 'menyuan')!;
const origin = () => `http://${site().host}`;
const get = (url: string) => fetchVia(web.port, url);
const getJson = async <T>(url: string) => JSON.parse((await get(url)).text) as T;

interface Organ {
  organId: number;
  organName: string;
  type: string;
}
interface Node {
  catId: number;
  name: string;
  url: string;
}
interface InfoList {
  total: number;
  pageCount: number;
  data: { id: number; title: string; link: string; publishDate: string }[];
}

beforeAll(async () => {
  web = await startSimWeb({ seed: 8, include: 'families' });
}, 120_000);
afterAll(async () => {
  await web?.close();
});

/** 政务公开 → 政府信息公开 (the platform) → its fourth block, the 年报 hub: the organ tree page. */
async function hubPage(): Promise<string> {
  const zwgk = await get(`${origin()}/zwgk/index.html`);
  const platformUrl = /href="([^"]*action=index[^"]*)"/.exec(zwgk.text)![1]!.replace(/&amp;/g, '&');
  const platform = await get(new URL(platformUrl, origin()).href);
  const hubUrl = /<a href="([^"]+)"><img src="\/images\/xxgk_4\.png"/.exec(platform.text)![1]!.replace(/&amp;/g, '&');
  const hub = await get(new URL(hubUrl, origin()).href);
  expect(hub.status).toBe(200);
  return hub.text;
}

describe('Lonsun family (门源回族自治县)', () => {
  it('shows the organ tree only through its API; the hub page has no organ links', async () => {
    expect(site().family).toBe('lonsun');
    expect(site().nbLayout).toBe('units');
    const hub = { text: await hubPage() };
    expect(hub.text).toContain('organ_catalog_tree');
    expect(hub.text).not.toMatch(/\/public\/\d+\/\d+\.html/);
    const siteId = /siteId: (\d+)/.exec(hub.text)![1];
    expect(await getJson<Organ[]>(`${origin()}/public/api/organTree?siteId=1`)).toEqual([]);
    const organs = await getJson<Organ[]>(`${origin()}/public/api/organTree?siteId=${siteId}`);
    expect(organs.filter((o) => o.type === 'gov')).toHaveLength(1);
    expect(organs.some((o) => o.type === 'dept')).toBe(true);
    expect(organs.some((o) => o.type === 'town')).toBe(true);
  });

  it("files each unit's reports under its own organ's 年报 catalogue, and finds every report that way", async () => {
    const siteId = /siteId: (\d+)/.exec(await hubPage())![1];
    const organs = await getJson<Organ[]>(`${origin()}/public/api/organTree?siteId=${siteId}`);
    const found = new Map<string, number>();
    let emptyOrgans = 0;
    for (const organ of organs) {
      const nodes = await getJson<Node[]>(`${origin()}/public/api/catalog?organId=${organ.organId}`);
      const nb = nodes.find((n) => n.name === '政府信息公开年报');
      expect(nb, organ.organName).toBeTruthy();
      // the node's URL is the list shell, which holds no article link
      const shell = await get(new URL(nb!.url, origin()).href);
      expect(shell.status).toBe(200);
      expect(shell.text).not.toMatch(/\/public\/\d+\/\d+\.html/);
      for (let page = 1; ; page++) {
        const d = await getJson<InfoList>(
          `${origin()}/public/api/infoList?organId=${organ.organId}&catId=${nb!.catId}&pageIndex=${page}&pageSize=5`,
        );
        if (!d.data.length) {
          if (page === 1) emptyOrgans++;
          break;
        }
        for (const x of d.data) {
          expect(x.link.startsWith(`/public/${organ.organId}/`)).toBe(true);
          found.set(`${origin()}${x.link}`, organ.organId);
        }
      }
      // a bureau's other catalogue nodes are empty
      if (organ.type !== 'gov') {
        const other = nodes.find((n) => n.name === '政府信息公开指南')!;
        expect(
          (await getJson<InfoList>(`${origin()}/public/api/infoList?organId=${organ.organId}&catId=${other.catId}&pageIndex=1`)).total,
        ).toBe(0);
      }
    }
    // bureaus without a report still have an organ and an empty 年报
    expect(emptyOrgans).toBeGreaterThan(0);
    const reports = web.manifest.reports.filter((r) => r.siteId === 'menyuan');
    for (const r of reports) {
      const page = r.pageUrl ?? r.attachmentOf ?? r.url;
      expect(found.has(page), page).toBe(true);
      const organ = organs.find((o) => o.organId === found.get(page))!;
      // a bureau's or township's report is under that unit's organ, the county's under the government
      if (r.issuer === `${site().name}人民政府`) expect(organ.type).toBe('gov');
      else expect(r.issuer).toContain(organ.organName);
    }
    expect(reports.some((r) => !r.issuer.startsWith(`${site().name}人民`))).toBe(true);
  }, 60_000);

  it('serves some articles as shells whose body only the content API returns', async () => {
    const html = web.manifest.reports.filter((r) => r.siteId === 'menyuan' && r.kind === 'html');
    const shells = html.filter((r) => r.bodyVia);
    expect(shells.length).toBeGreaterThan(0);
    expect(html.length - shells.length).toBeGreaterThan(0);
    for (const r of shells) {
      const page = await get(r.url);
      expect(page.text).toContain(r.title);
      expect(/<div id="zoom" class="j-fontContent">\s*<\/div>/.test(page.text)).toBe(true);
      expect(r.aliases).toEqual([r.bodyVia!.url]);
      const d = await getJson<{ title: string; content: string }>(r.bodyVia!.url);
      expect(d.title).toBe(r.title);
      expect(d.content).toMatch(/政府信息公开/);
      const para = /<p[^>]*>([^<]{20,})<\/p>/.exec(d.content)![1]!;
      expect(page.text).not.toContain(para);
    }
  });

  it('lists every report and decoy with a URL that answers 200', async () => {
    const mine = web.manifest.reports.filter((r) => r.siteId === 'menyuan');
    const decoys = web.manifest.decoys.filter((d) => d.siteId === 'menyuan');
    expect(decoys.length).toBeGreaterThan(5);
    for (const u of [...mine.map((r) => r.url), ...decoys.map((d) => d.url)]) expect((await get(u)).status, u).toBe(200);
    expect(new Set(mine.map((r) => r.regionCode))).toEqual(new Set(['632221']));
  }, 120_000);
});
