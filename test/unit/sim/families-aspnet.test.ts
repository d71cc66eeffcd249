import http from 'node:http';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimWeb, type SimWeb } from '../../../src/sim/index.ts';

// The ASP.NET postback family and the split report, fetched through the sim proxy the way a crawler would.

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

function fetchVia(port: number, url: string, o: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: o.method ?? 'GET', path: url, headers: { Host: new URL(url).host, ...o.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: /charset=utf-8/i.test(String(res.headers['content-type']))
              ? Buffer.concat(chunks).toString('utf8')
              : iconv.decode(Buffer.concat(chunks), 'gbk'),
          }),
        );
      },
    );
    req.on('error', reject);
    if (o.body) req.write(o.body);
    req.end();
  });
}

let web: SimWeb;
const origin = () => `http://${web.sites.find((s) => s.id === 'zaduo')!.host}`;
const get = (url: string) => fetchVia(web.port, url);
const hidden = (html: string) =>
  Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" id="[^"]+" value="([^"]*)" \/>/g)].map((m) => [m[1]!, m[2]!]));
const items = (html: string) => [...html.matchAll(/<a href="(\/html\/\d+\/\d+(?:_\d+)?\.html)"/g)].map((m) => m[1]!);
const postBack = (url: string, form: Record<string, string>) =>
  fetchVia(web.port, url, {
    method: 'POST',
    body: new URLSearchParams(form).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });

beforeAll(async () => {
  web = await startSimWeb({ seed: 10, include: 'families' });
}, 120_000);
afterAll(async () => {
  await web?.close();
});

async function nbListUrl(): Promise<string> {
  const zwgk = await get(`${origin()}/zwgk/index.html`);
  const platform = await get(new URL(/href="([^"]*\/xxgk\/Index\.aspx)"/.exec(zwgk.text)![1]!, origin()).href);
  return new URL(/<a href="([^"]+)"><img src="\/images\/xxgk_4\.png"/.exec(platform.text)![1]!, origin()).href;
}

describe('ASP.NET postback pager (杂多县)', () => {
  it('serves page N only to a postback that replays the form with __EVENTTARGET/__EVENTARGUMENT', async () => {
    const site = web.sites.find((s) => s.id === 'zaduo')!;
    expect(site.family).toBe('aspnet');
    const url = await nbListUrl();
    expect(url).toMatch(/\/xxgk\/List_zlm\.aspx\?lmid=\d+$/);
    const first = await get(url);
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('text/html');
    expect(first.text).toContain('charset=gb2312');
    const total = Number(/共(\d+)条 第1\/(\d+)页/.exec(first.text)![1]);
    const pages = Number(/共\d+条 第1\/(\d+)页/.exec(first.text)![1]);
    expect(pages).toBeGreaterThan(1);
    expect(first.text).toContain("__doPostBack('ctl00$ContentPlaceHolder1$AspNetPager1','2')");
    // no plain link reaches page 2
    expect(first.text).not.toMatch(/href="[^"j]*(page|Page)=2/);
    const page1 = items(first.text);
    // a second GET is page 1 again
    expect(items((await get(url)).text)).toEqual(page1);

    const all = new Set(page1);
    let state = hidden(first.text);
    expect(Object.keys(state)).toEqual(expect.arrayContaining(['__VIEWSTATE', '__EVENTVALIDATION', '__EVENTTARGET', '__EVENTARGUMENT']));
    for (let n = 2; n <= pages; n++) {
      const reply = await postBack(url, { ...state, __EVENTTARGET: 'ctl00$ContentPlaceHolder1$AspNetPager1', __EVENTARGUMENT: String(n) });
      expect(reply.status).toBe(200);
      expect(reply.text).toContain(`第${n}/${pages}页`);
      const got = items(reply.text);
      expect(got.some((h) => all.has(h))).toBe(false);
      for (const h of got) all.add(h);
      state = hidden(reply.text);
    }
    expect(all.size).toBe(total);
    const reports = web.manifest.reports.filter((r) => r.siteId === 'zaduo');
    for (const r of reports) expect(all.has(new URL(r.pageUrl ?? r.attachmentOf ?? r.url).pathname), r.url).toBe(true);
    // a postback without the pager as target re-renders the page the state is on
    const same = await postBack(url, { ...state, __EVENTTARGET: '', __EVENTARGUMENT: '' });
    expect(same.text).toContain(`第${pages}/${pages}页`);
  });

  it('refuses a tampered or missing __VIEWSTATE or __EVENTVALIDATION with 500', async () => {
    const url = await nbListUrl();
    const state = hidden((await get(url)).text);
    const pager = { __EVENTTARGET: 'ctl00$ContentPlaceHolder1$AspNetPager1', __EVENTARGUMENT: '2' };
    // another list's state does not page this one
    const zwgk = await get(`${origin()}/zwgk/index.html`);
    const workReports = new URL(/href="([^"]*List_zlm\.aspx\?lmid=\d+)"/.exec(zwgk.text)![1]!, origin()).href;
    expect(workReports).not.toBe(url);
    const other = hidden((await get(workReports)).text);
    expect((await postBack(url, { ...pager })).status).toBe(500);
    expect((await postBack(url, { ...state, ...pager, __VIEWSTATE: state.__VIEWSTATE!.slice(0, -4) + 'AAAA' })).status).toBe(500);
    expect((await postBack(url, { ...state, ...pager, __EVENTVALIDATION: '' })).status).toBe(500);
    expect((await postBack(url, { ...other, ...pager })).status).toBe(500);
    expect((await postBack(url, { ...state, ...pager })).status).toBe(200);
  });

  it('splits one report over <id>.html and <id>_2.html linked 下一页, listed with all its parts', async () => {
    const split = web.manifest.reports.filter((r) => r.parts);
    expect(split).toHaveLength(1);
    const r = split[0]!;
    expect(r.siteId).toBe('zaduo');
    expect(r.parts).toEqual([r.url, r.url.replace(/\.html$/, '_2.html')]);
    const [p1, p2] = await Promise.all(r.parts!.map((u) => get(u)));
    expect(p1!.status).toBe(200);
    expect(p2!.status).toBe(200);
    const next = /<a href="([^"]+)">下一页<\/a>/.exec(p1!.text)![1]!;
    expect(new URL(next, r.url).href).toBe(r.parts![1]);
    // the application table (三) is on page 2 only; page 1 has the 主动公开 table
    expect(p1!.text).toContain('二、主动公开政府信息情况');
    expect(p1!.text).not.toContain('三、收到和处理政府信息公开申请情况');
    expect(p2!.text).toContain('三、收到和处理政府信息公开申请情况');
    expect(p2!.text).toContain('<table');
    expect(p1!.text).toContain('<table');
    expect(p2!.text).toContain(r.title);
  });

  it('lists every report and decoy with a URL that answers 200', async () => {
    const mine = web.manifest.reports.filter((r) => r.siteId === 'zaduo');
    for (const u of [...mine.map((r) => r.url), ...web.manifest.decoys.filter((d) => d.siteId === 'zaduo').map((d) => d.url)]) {
      expect((await get(u)).status, u).toBe(200);
    }
    expect(new Set(mine.map((r) => r.regionCode))).toEqual(new Set(['632722']));
  }, 120_000);
});
