import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimWeb, type SimWeb } from '../../../src/sim/index.ts';
import { fetchVia } from './proxy-client.ts';

// The Hanweb 信息公开-module and JPaaS variants, fetched through the sim proxy the way a crawler would.

let web: SimWeb;
const host = (id: string) => `http://${web.sites.find((s) => s.id === id)!.host}`;
const get = (url: string) => fetchVia(web.port, url);
const postForm = (url: string, form: Record<string, string>) =>
  fetchVia(web.port, url, {
    method: 'POST',
    body: new URLSearchParams(form).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
const hrefs = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));

beforeAll(async () => {
  web = await startSimWeb({ seed: 9, include: 'families' });
}, 120_000);
afterAll(async () => {
  await web?.close();
});

/** The 年报 column of a site: the fourth block of the 政府信息公开 platform. */
async function nbColumn(id: string): Promise<string> {
  const zwgk = await get(`${host(id)}/zwgk/index.html`);
  const platform = await get(new URL(hrefs(zwgk.text).find((h) => /\/col\/col\d+\/index\.html$/.test(h))!, host(id)).href);
  return new URL(/<a href="([^"]+)"><img src="\/images\/xxgk_4\.png"/.exec(platform.text)![1]!, host(id)).href;
}

describe('Hanweb 信息公开 module (曲阜市)', () => {
  it('has empty column shells; search.jsp answers the whole area, so rows are kept by art_<COLID>_', async () => {
    const site = web.sites.find((s) => s.id === 'qufu')!;
    expect(site.family).toBe('hanweb-xxgk');
    const colUrl = await nbColumn('qufu');
    const colId = /col(\d+)\/index\.html$/.exec(colUrl)![1]!;
    const col = await get(colUrl);
    expect(col.text).not.toMatch(/art_\d+_\d+\.html/);
    const area = /area: '(\d+)'/.exec(col.text)![1]!;
    // a wrong area: nothing
    const none = await postForm(`${host('qufu')}/module/xxgk/search.jsp`, { infotypeId: colId, area: '1', currpage: '1' });
    expect(none.text).toContain('共0条记录');
    const rows: string[] = [];
    let pages = 1;
    for (let n = 1; n <= pages; n++) {
      const r = await postForm(`${host('qufu')}/module/xxgk/search.jsp`, { infotypeId: colId, area, currpage: String(n) });
      pages = Number(/第\d+\/(\d+)页/.exec(r.text)![1]);
      rows.push(...[...r.text.matchAll(/href="(\/art\/[^"]+)"/g)].map((m) => m[1]!));
    }
    const cols = new Set(rows.map((h) => /art_(\d+)_/.exec(h)![1]));
    // the answer mixes columns, despite infotypeId
    expect(cols.size).toBeGreaterThan(3);
    const mine = rows.filter((h) => h.includes(`art_${colId}_`));
    const reports = web.manifest.reports.filter((r) => r.siteId === 'qufu');
    const pagesOfReports = new Set(reports.map((r) => new URL(r.pageUrl ?? r.attachmentOf ?? r.url).pathname));
    expect(mine.length).toBeLessThan(rows.length);
    for (const p of pagesOfReports) expect(mine).toContain(p);
    // every decoy column's rows are in the same answer
    const decoyPaths = web.manifest.decoys.filter((d) => d.siteId === 'qufu').map((d) => new URL(d.url).pathname);
    for (const p of decoyPaths) expect(rows).toContain(p);
    // past the last page: the last page again
    const past = await postForm(`${host('qufu')}/module/xxgk/search.jsp`, { area, currpage: String(pages + 5) });
    expect(past.text).toContain(`第${pages}/${pages}页`);
  });

  it('serves the reports as jcms articles and downfile.jsp attachments', async () => {
    const reports = web.manifest.reports.filter((r) => r.siteId === 'qufu');
    for (const r of reports) {
      const reply = await get(r.url);
      expect(reply.status, r.url).toBe(200);
      for (const a of r.aliases ?? []) expect((await get(a)).status).toBe(302);
    }
    expect(reports.some((r) => r.aliases?.[0]?.includes('downfile.jsp'))).toBe(true);
  }, 60_000);
});

describe('Hanweb JPaaS (靖江市)', () => {
  it('shows page 1 in the column; later pages only with the page number inside paramJson', async () => {
    const site = web.sites.find((s) => s.id === 'jingjiang')!;
    expect(site.family).toBe('jpaas');
    const col = await get(await nbColumn('jingjiang'));
    const q = JSON.parse(/queryData='([^']+)'/.exec(col.text)![1]!.replace(/&quot;/g, '"')) as {
      webId: string;
      pageId: string;
      tplSetId: string;
      tagId: string;
      pageSize: number;
    };
    const count = Number(/class="pagination" rows="\d+" count="(\d+)"/.exec(col.text)![1]);
    const first = [...col.text.matchAll(/href="(\/art\/[^"]+)"/g)].map((m) => m[1]!);
    expect(first.length).toBe(Math.min(count, q.pageSize));
    const api = (paramJson: string, extra = '') =>
      get(
        `${host('jingjiang')}/api-gateway/jpaas-publish-server/front/page/build/unit?parseType=bulidstatic&webId=${q.webId}&tplSetId=${q.tplSetId}&pageType=column&tagId=${encodeURIComponent(q.tagId)}&editType=null&pageId=${q.pageId}&paramJson=${encodeURIComponent(paramJson)}${extra}`,
      );
    const all = new Set(first);
    for (let n = 2; n <= Math.ceil(count / q.pageSize); n++) {
      const d = JSON.parse((await api(JSON.stringify({ pageNo: n, pageSize: q.pageSize }))).text) as {
        success: boolean;
        data: { html: string };
      };
      expect(d.success).toBe(true);
      for (const m of d.data.html.matchAll(/href="(\/art\/[^"]+)"/g)) all.add(m[1]!);
    }
    expect(all.size).toBe(count);
    // a page number outside paramJson is ignored: page 1 again
    const outside = JSON.parse((await api('{}', '&pageNo=2')).text) as { data: { html: string } };
    expect([...outside.data.html.matchAll(/href="(\/art\/[^"]+)"/g)].map((m) => m[1]!)).toEqual(first);
    const wrong = JSON.parse(
      (await get(`${host('jingjiang')}/api-gateway/jpaas-publish-server/front/page/build/unit?webId=0&pageId=${q.pageId}&paramJson={}`))
        .text,
    ) as { success: boolean };
    expect(wrong.success).toBe(false);
    const reports = web.manifest.reports.filter((r) => r.siteId === 'jingjiang');
    for (const r of reports) expect(all.has(new URL(r.pageUrl ?? r.attachmentOf ?? r.url).pathname), r.url).toBe(true);
  });

  it('serves every report and decoy, bodies in .wzzw-article', async () => {
    const reports = web.manifest.reports.filter((r) => r.siteId === 'jingjiang');
    for (const r of reports) {
      const reply = await get(r.url);
      expect(reply.status, r.url).toBe(200);
      if (r.kind === 'html') expect(reply.text).toContain('class="wzzw-article"');
    }
    for (const d of web.manifest.decoys.filter((x) => x.siteId === 'jingjiang')) expect((await get(d.url)).status).toBe(200);
  }, 60_000);
});
