import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSimWorld, startSimWeb, type SimWeb } from '../../../src/sim/index.ts';
import { fetchVia } from './proxy-client.ts';

// The Guangdong gkmlpt family, fetched through the sim proxy the way a crawler would: the SPA's HTML holds
// only the SID; categories, lists and (for shells) article bodies come from the JSON API.

let web: SimWeb;
const get = (url: string) => fetchVia(web.port, url);
const site = () => web.sites.find((s) => s.id === 'deqing')!;
const origin = () => new URL(site().home).origin;

beforeAll(async () => {
  web = await startSimWeb({ seed: 5, include: 'families' });
}, 120_000);
afterAll(async () => {
  await web?.close();
});

describe('gkmlpt family (德庆县)', () => {
  it('is served only when asked for, and the classic world is unchanged by it', () => {
    expect(site().family).toBe('gkmlpt');
    expect(site().regionCode).toBe('441226');
    const classic = buildSimWorld(5).manifest;
    expect(classic.sites.some((s) => s.id === 'deqing')).toBe(false);
    expect(buildSimWorld(5, 'all').manifest.reports.filter((r) => classic.sites.some((s) => s.id === r.siteId))).toEqual(classic.reports);
  });

  it('hides the catalogue in a hash-routed SPA whose only data is the SID', async () => {
    const platform = await get(`${origin()}/zwgk/zfxxgk/index.html`);
    const nbLink = /href="([^"]*\/gkmlpt\/annualreport#(\d+))"/.exec(platform.text);
    expect(nbLink).not.toBeNull();
    const spa = await get(nbLink![1]!);
    expect(spa.status).toBe(200);
    const sid = /SID: '(\d+)'/.exec(spa.text)?.[1];
    expect(sid).toMatch(/^\d{6}$/);
    // nothing of the list is in the HTML
    expect(spa.text).not.toMatch(/post_\d+\.html/);
    expect(spa.text).not.toContain('年度报告');

    const noSid = await get(`${origin()}/gkmlpt/api/all/${nbLink![2]}?page=1`);
    expect(noSid.status).toBe(400);
    const cats = JSON.parse((await get(`${origin()}/gkmlpt/api/categories?sid=${sid}`)).text) as {
      categories: { id: number; name: string; count: number }[];
    };
    const nbCat = cats.categories.find((c) => c.id === Number(nbLink![2]))!;
    // the parent 法定主动公开内容 lists its decoy children
    const fdzd = cats.categories.find((c) => c.name === '法定主动公开内容')!;
    const fdzdList = JSON.parse((await get(`${origin()}/gkmlpt/api/all/${fdzd.id}?page=1&sid=${sid}`)).text) as { total: number };
    expect(fdzdList.total).toBe(fdzd.count);
    expect(fdzd.count).toBeGreaterThan(5);
    expect(nbCat.name).toMatch(/年/);
    expect(cats.categories.map((c) => c.name)).toContain('政府工作报告');

    // page through the 年报 category until page × size ≥ total: every report page of the manifest appears
    const seen = new Set<string>();
    let total = Infinity;
    for (let page = 1; seen.size < total && page < 20; page++) {
      const d = JSON.parse((await get(`${origin()}/gkmlpt/api/all/${nbCat.id}?page=${page}&sid=${sid}`)).text) as {
        total: number;
        articles: { url: string; create_time: number }[];
      };
      total = d.total;
      if (!d.articles.length) break;
      for (const a of d.articles) seen.add(a.url);
      expect(d.articles.every((a) => Number.isInteger(a.create_time))).toBe(true);
    }
    expect(seen.size).toBe(nbCat.count);
    const mine = web.manifest.reports.filter((r) => r.siteId === 'deqing');
    for (const r of mine) expect(seen.has(r.pageUrl ?? r.attachmentOf ?? r.url), r.url).toBe(true);
    // past the end: an empty page, not a repeat
    const past = JSON.parse((await get(`${origin()}/gkmlpt/api/all/${nbCat.id}?page=99&sid=${sid}`)).text) as { articles: unknown[] };
    expect(past.articles).toEqual([]);
  });

  it('fills shell articles only through the content API, and serves post_/mpost_ twins of every article', async () => {
    const html = web.manifest.reports.filter((r) => r.siteId === 'deqing' && r.kind === 'html');
    const shells = html.filter((r) => r.bodyVia);
    const plain = html.filter((r) => !r.bodyVia);
    expect(shells.length).toBeGreaterThan(0);
    expect(plain.length).toBeGreaterThan(0);
    for (const r of shells.slice(0, 4)) {
      const page = await get(r.url);
      expect(page.status).toBe(200);
      expect(page.text).toContain(`<meta name="ArticleTitle" content="${r.title}">`);
      // the body container is empty: no table, no 条例 prose
      expect(/<div id="zoom" class="news_cont_d_wrap">\s*<\/div>/.test(page.text)).toBe(true);
      const mobile = await get(r.url.replace('/post_', '/mpost_'));
      expect(mobile.status).toBe(200);
      expect(r.aliases).toContain(r.url.replace('/post_', '/mpost_'));
      expect(r.bodyVia!.method).toBe('GET');
      expect(r.aliases).toContain(r.bodyVia!.url);
      const api = await get(r.bodyVia!.url);
      expect(api.status).toBe(200);
      const d = JSON.parse(api.text) as { title: string; content: string };
      expect(d.title).toBe(r.title);
      expect(d.content).toContain('<table');
      expect(d.content).toMatch(/政府信息公开/);
      // no paragraph of the body is on the shell or its mobile twin
      const paragraphs = [...d.content.matchAll(/<p[^>]*>([^<]{20,})<\/p>/g)].map((m) => m[1]!);
      expect(paragraphs.length).toBeGreaterThan(0);
      for (const p of paragraphs) {
        expect(page.text).not.toContain(p);
        expect(mobile.text).not.toContain(p);
      }
    }
    for (const r of plain.slice(0, 3)) {
      const [page, mobile] = await Promise.all([get(r.url), get(r.url.replace('/post_', '/mpost_'))]);
      expect(page.text).toContain(r.title.slice(-10));
      expect(mobile.status).toBe(200);
      const paragraph = /<div id="zoom"[^>]*>[\s\S]*?<p[^>]*>([^<]{20,})<\/p>/.exec(page.text)?.[1];
      expect(paragraph).toBeTruthy();
      expect(mobile.text).toContain(paragraph);
      expect(r.aliases).toEqual([r.url.replace('/post_', '/mpost_')]);
    }
  });

  it('lists every report and decoy of the site in the manifest with a URL that answers 200', async () => {
    const reports = web.manifest.reports.filter((r) => r.siteId === 'deqing');
    const decoys = web.manifest.decoys.filter((d) => d.siteId === 'deqing');
    expect(reports.length).toBeGreaterThan(8);
    expect(decoys.length).toBeGreaterThan(5);
    for (const r of reports) {
      expect(r.regionCode).toBe('441226');
      const reply = await get(r.url);
      expect(reply.status, r.url).toBe(200);
      if (r.kind === 'pdf') expect(reply.text.slice(0, 4)).toBe('%PDF');
    }
    for (const d of decoys) expect((await get(d.url)).status, d.url).toBe(200);
  }, 120_000);
});
