import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimWeb, type SimWeb } from '../../../src/sim/index.ts';
import { fetchVia } from './proxy-client.ts';

// The iframe-shell family, fetched through the sim proxy the way a crawler would: lists inside an iframe on the
// xxgk sub-host, article bodies inside an iframe on another path of the portal.

let web: SimWeb;
const site = () => web.sites.find((s) => s.id === 'jinhu')!;
const origin = () => `http://${site().host}`;
const get = (url: string) => fetchVia(web.port, url);
const iframes = (html: string) => [...html.matchAll(/<iframe[^>]* src="([^"]+)"/g)].map((m) => m[1]!);

beforeAll(async () => {
  web = await startSimWeb({ seed: 11, include: 'families' });
}, 120_000);
afterAll(async () => {
  await web?.close();
});

describe('iframe shells (金湖县)', () => {
  it('puts each list inside an iframe on the sub-host, paged by plain links, linking back to the portal', async () => {
    expect(site().family).toBe('iframe');
    expect(site().allowHosts).toEqual(['xxgk.jinhu.gov.cn.test']);
    const zwgk = await get(`${origin()}/zwgk/index.html`);
    const platform = await get(new URL(/href="([^"]*\/zfxxgk\/index\.html)"/.exec(zwgk.text)![1]!, origin()).href);
    const nbUrl = new URL(/<a href="([^"]+)"><img src="\/images\/xxgk_4\.png"/.exec(platform.text)![1]!, origin()).href;
    const outer = await get(nbUrl);
    expect(outer.text).not.toMatch(/\/\d{6}\/\d+\.html/);
    const [src] = iframes(outer.text);
    expect(new URL(src!).host).toBe('xxgk.jinhu.gov.cn.test');
    const articles = new Set<string>();
    for (let url: string | undefined = src; url; ) {
      const page = await get(url);
      expect(page.status).toBe(200);
      for (const m of page.text.matchAll(/<a href="([^"]+)" target="_top"/g)) articles.add(m[1]!);
      const next = /<a href="([^"]+)">下一页<\/a>/.exec(page.text)?.[1];
      url = next ? new URL(next, url).href : undefined;
    }
    const mine = web.manifest.reports.filter((r) => r.siteId === 'jinhu');
    const framedIn = new Map(mine.map((r) => [r.url, r.framedIn]));
    for (const r of mine) {
      // an attachment repeating a page report is framed through that page
      const outerUrl = (r.attachmentOf ? framedIn.get(r.attachmentOf) : r.framedIn)!;
      expect(outerUrl, r.url).toBeTruthy();
      expect(new URL(outerUrl).host).toBe(site().host);
      expect(articles.has(outerUrl), outerUrl).toBe(true);
    }
  });

  it('shows each article only inside an iframe of /iframe/content/<id>.html; the manifest names the inner page', async () => {
    const html = web.manifest.reports.filter((r) => r.siteId === 'jinhu' && r.kind === 'html');
    expect(html.length).toBeGreaterThan(3);
    for (const r of html.slice(0, 5)) {
      const outer = await get(r.framedIn!);
      expect(outer.status).toBe(200);
      expect(iframes(outer.text).map((s) => new URL(s, r.framedIn).href)).toEqual([r.url]);
      expect(outer.text).not.toContain('政府信息公开条例');
      const inner = await get(r.url);
      expect(inner.status).toBe(200);
      expect(inner.text).toContain(`<meta name="ArticleTitle" content="${r.title}">`);
      expect(inner.text).toContain('政府信息公开');
      expect(inner.text).toContain('<table');
    }
    const attachmentOnly = web.manifest.reports.filter((r) => r.siteId === 'jinhu' && r.pageUrl);
    for (const r of attachmentOnly) {
      expect(r.pageUrl).toMatch(/\/iframe\/content\/\d+\.html$/);
      const inner = await get(r.pageUrl!);
      expect(inner.text).toContain(new URL(r.url).pathname);
    }
  });

  it('lists every report and decoy with a URL that answers 200', async () => {
    const mine = web.manifest.reports.filter((r) => r.siteId === 'jinhu');
    const decoys = web.manifest.decoys.filter((d) => d.siteId === 'jinhu');
    expect(decoys.every((d) => d.framedIn)).toBe(true);
    for (const u of [...mine.map((r) => r.url), ...decoys.map((d) => d.url)]) expect((await get(u)).status, u).toBe(200);
    expect((await get('http://xxgk.jinhu.gov.cn.test/robots.txt')).status).toBe(200);
  }, 120_000);
});
