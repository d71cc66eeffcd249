import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimWeb, type SimWeb } from '../../../src/sim/index.ts';
import { fetchVia } from './proxy-client.ts';

// The Epoint showinfo family, fetched through the sim proxy the way a crawler would: column and article pages are
// shells; the list API gives showinfo.html?infoGuid= URLs whose title and body only the detail API returns.

let web: SimWeb;
const site = () => web.sites.find((s) => s.id === 'peixian')!;
const origin = () => `http://${site().host}`;
const get = (url: string) => fetchVia(web.port, url);
const postJson = (url: string, body: unknown) =>
  fetchVia(web.port, url, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json;charset=UTF-8' } });

beforeAll(async () => {
  web = await startSimWeb({ seed: 6, include: 'families' });
}, 120_000);
afterAll(async () => {
  await web?.close();
});

describe('Epoint showinfo family (沛县)', () => {
  it('lists showinfo shells through the JSON list API', async () => {
    expect(site().family).toBe('epoint');
    const platform = await get(`${origin()}/xxgk/zfxxgk/index.html`);
    expect(platform.status).toBe(200);
    const nbPath = [...platform.text.matchAll(/href="([^"]+)"/g)]
      .map((m) => m[1]!)
      .find((h) => /\/xxgk\/(zfxxgknb|xxgknb|gknb|ndbg)\/index\.html$/.test(h))!;
    const column = await get(new URL(nbPath, origin()).href);
    expect(column.text).not.toContain('showinfo.html');
    const catnum = /categorynum = '(\d+)'/.exec(column.text)![1]!;
    const js = await get(`${origin()}/js/webBuilderCommon.js`);
    const siteGuid = /siteGuid: '([^']+)'/.exec(js.text)![1]!;
    const urls: string[] = [];
    for (let pageIndex = 0; pageIndex < 10; pageIndex++) {
      const d = JSON.parse(
        (
          await postJson(`${origin()}/EWB-FRONT/rest/lightfrontaction/getgovinfolist`, {
            siteGuid,
            categorynum: catnum,
            pageIndex,
            pageSize: 10,
          })
        ).text,
      ) as { custom: { data: { infourl: string }[]; total: number } };
      const fresh = d.custom.data.map((x) => x.infourl).filter((u) => !urls.includes(u));
      if (!fresh.length) break;
      urls.push(...fresh);
    }
    expect(urls.length).toBeGreaterThan(5);
    expect(urls.every((u) => /^\/xxgk\/showinfo\.html\?infoGuid=[0-9a-f-]{36}&categorynum=\d+$/.test(u))).toBe(true);
    const reports = web.manifest.reports.filter((r) => r.siteId === 'peixian');
    for (const r of reports)
      expect(urls, r.url).toContain(
        new URL(r.pageUrl ?? r.attachmentOf ?? r.url).pathname + new URL(r.pageUrl ?? r.attachmentOf ?? r.url).search,
      );
  });

  it('serves empty shells; the body comes only from POSTing the infoGuid to the detail API', async () => {
    const reports = web.manifest.reports.filter((r) => r.siteId === 'peixian' && r.kind === 'html');
    expect(reports.length).toBeGreaterThan(5);
    expect(reports.every((r) => r.bodyVia?.method === 'POST')).toBe(true);
    const [a, b] = reports;
    const [pa, pb] = await Promise.all([get(a!.url), get(b!.url)]);
    expect(pa.status).toBe(200);
    // nothing in a shell names its article
    expect(pa.text).not.toContain(a!.title);
    expect(pa.text).not.toContain('<table border');
    expect(pa.text.replace(/categorynum=\d+/g, '')).toBe(pb.text.replace(/categorynum=\d+/g, ''));
    const reply = await fetchVia(web.port, a!.bodyVia!.url, {
      method: 'POST',
      body: a!.bodyVia!.body,
      headers: { 'Content-Type': a!.bodyVia!.contentType! },
    });
    const d = JSON.parse(reply.text) as { custom: { title: string; content: string; infodate: string } };
    expect(d.custom.title).toBe(a!.title);
    expect(d.custom.infodate).toBe(a!.publishedAt);
    expect(d.custom.content).toMatch(/政府信息公开/);
    expect(d.custom.content.length).toBeGreaterThan(500);
    // a GET of the API or an unknown GUID gives no body
    expect((await get(a!.bodyVia!.url)).status).toBe(405);
    const unknown = JSON.parse((await postJson(a!.bodyVia!.url, { infoGuid: '00000000-0000-0000-0000-000000000000' })).text) as {
      custom: unknown;
    };
    expect(unknown.custom).toBeNull();
  });

  it("names attachment-only reports by their GUID endpoint, linked from the shell's API answer", async () => {
    const att = web.manifest.reports.filter((r) => r.siteId === 'peixian' && r.kind !== 'html');
    expect(att.length).toBeGreaterThan(0);
    for (const r of att.slice(0, 3)) {
      const page = r.pageUrl ?? r.attachmentOf!;
      const guid = new URL(page).searchParams.get('infoGuid');
      const d = JSON.parse((await postJson(`${origin()}/EWB-FRONT/rest/lightfrontaction/getinfodetail`, { infoGuid: guid })).text) as {
        custom: { attachments: { attachurl: string }[] };
      };
      expect(d.custom.attachments.map((x) => new URL(x.attachurl, origin()).href)).toContain(r.url);
      const file = await get(r.url);
      expect(file.status).toBe(200);
      expect(file.headers['content-type']).toBe('application/octet-stream');
    }
  }, 60_000);

  it('lists every report and decoy with a URL that answers 200', async () => {
    const mine = web.manifest.reports.filter((r) => r.siteId === 'peixian');
    const decoys = web.manifest.decoys.filter((d) => d.siteId === 'peixian');
    expect(decoys.length).toBeGreaterThan(5);
    expect(decoys.every((d) => d.bodyVia?.method === 'POST')).toBe(true);
    for (const u of [...mine.map((r) => r.url), ...decoys.map((d) => d.url)]) expect((await get(u)).status, u).toBe(200);
    expect(new Set(mine.map((r) => r.regionCode))).toEqual(new Set(['320322']));
  }, 120_000);
});
