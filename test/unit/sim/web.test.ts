import http from 'node:http';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SiteListSchema } from '../../../src/schema/site-config.ts';
import { buildSimWorld, simSitesYaml, startSimWeb, type SimWeb } from '../../../src/sim/index.ts';
import { routeKey } from '../../../src/sim/sites/build.ts';
import type { ManifestReport } from '../../../src/sim/sites/types.ts';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A request in absolute-form through the sim proxy, the way Crawlee/Playwright send them. */
function viaProxy(port: number, url: string, o: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = http.request(
      { host: '127.0.0.1', port, method: o.method ?? 'GET', path: url, headers: { Host: u.host, ...o.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    if (o.body) req.write(o.body);
    req.end();
  });
}

async function pool<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

const hrefs = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);

let web: SimWeb;
beforeAll(async () => {
  web = await startSimWeb({ seed: 7 });
}, 120_000);
afterAll(async () => {
  await web?.close();
});

describe('sim world', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = buildSimWorld(7).manifest;
    expect(a).toEqual(web.manifest);
    const b = buildSimWorld(8).manifest;
    expect(b.sites.map((s) => s.home)).toEqual(a.sites.map((s) => s.home));
    expect(b.reports.map((r) => r.url)).not.toEqual(a.reports.map((r) => r.url));
  }, 60_000);

  it('has ≥12 sites, every family, a GBK site, reports of every format and kind, and decoys of every type', () => {
    const m = web.manifest;
    expect(m.sites.length).toBeGreaterThanOrEqual(12);
    expect(new Set(m.sites.map((s) => s.family))).toEqual(new Set(['trs', 'hanweb', 'jslist', 'static']));
    expect(m.sites.some((s) => s.charset === 'gbk')).toBe(true);
    expect(new Set(m.reports.map((r) => r.format))).toEqual(new Set(['legacy', '2019', '2021']));
    expect(new Set(m.reports.map((r) => r.kind))).toEqual(new Set(['html', 'pdf', 'docx', 'scan']));
    expect(m.reports.some((r) => r.pageUrl)).toBe(true);
    expect(m.reports.some((r) => r.attachmentOf)).toBe(true);
    expect(new Set(m.decoys.map((d) => d.type))).toEqual(
      new Set(['notice', 'work_report', 'statistics', 'budget', 'website_report', 'rule_of_law', 'graphic', 'robots']),
    );
    for (const s of m.sites) {
      const mine = m.reports.filter((r) => r.siteId === s.id);
      expect(mine.filter((r) => r.issuer.endsWith('人民政府') && r.issuer.startsWith(s.name)).length).toBeGreaterThanOrEqual(6);
      expect(new Set(mine.map((r) => r.regionCode))).toEqual(new Set([s.regionCode]));
      expect(s.siteIdCode.startsWith(s.regionCode)).toBe(true);
    }
    expect(new Set(m.reports.map((r) => r.url)).size).toBe(m.reports.length);
  });

  it('routes every attachment and alias (bytes are checked for a sample below)', () => {
    const world = buildSimWorld(7);
    const routes = new Map(world.sites.flatMap((s) => [...s.routes]));
    for (const r of world.manifest.reports.filter((x) => x.kind !== 'html')) {
      // attachments' aliases are Hanweb downfile.jsp links
      expect(routes.get(routeKey(new URL(r.url)))?.kind, r.url).toBe('document');
      for (const a of r.aliases ?? []) expect(routes.get(routeKey(new URL(a)))).toMatchObject({ kind: 'redirect', location: r.url });
    }
  }, 60_000);

  it('config/sites.sim.yaml is the generated site list and validates', () => {
    const text = readFileSync(new URL('../../../config/sites.sim.yaml', import.meta.url), 'utf8');
    expect(text).toBe(simSitesYaml());
    const list = SiteListSchema.parse(YAML.parse(text));
    expect(list.sites.map((s) => s.home)).toEqual(web.sites.map((s) => s.home));
    expect(list.sites.find((s) => s.id === 'lingchuan')!.allowHosts).toEqual(['xxgk.lczf.gov.cn.test']);
  }, 60_000);
});

describe('sim server', () => {
  it('serves every HTML report, attachment page and decoy with 200 through the proxy', async () => {
    const urls = [
      ...web.manifest.reports.filter((r) => r.kind === 'html').map((r) => r.url),
      ...web.manifest.reports.filter((r) => r.pageUrl).map((r) => r.pageUrl!),
      ...web.manifest.decoys.map((d) => d.url),
    ];
    const replies = await pool(urls, 8, async (u) => [u, (await viaProxy(web.port, u)).status] as const);
    expect(replies.filter(([, s]) => s !== 200)).toEqual([]);
  }, 120_000);

  it('serves real PDF, DOCX and scanned-PDF attachments, behind Hanweb 302s', async () => {
    const pick = (pred: (r: ManifestReport) => boolean) => web.manifest.reports.find(pred)!;
    const pdf = pick((r) => r.kind === 'pdf' && !!r.aliases);
    const docx = pick((r) => r.kind === 'docx');
    const scan = pick((r) => r.kind === 'scan');
    const redirect = await viaProxy(web.port, pdf.aliases![0]!);
    expect(redirect.status).toBe(302);
    expect(redirect.headers.location).toBe(pdf.url);
    const [p, d, s] = await Promise.all([pdf, docx, scan].map((r) => viaProxy(web.port, r.url)));
    expect(p!.status).toBe(200);
    expect(p!.body.subarray(0, 4).toString()).toBe('%PDF');
    expect(d!.body.subarray(0, 2).toString()).toBe('PK');
    expect(s!.body.subarray(0, 4).toString()).toBe('%PDF');
    // the attachment-only page links its attachment
    const withPage = pick((r) => !!r.pageUrl && r.siteId === scan.siteId);
    const page = await viaProxy(web.port, withPage.pageUrl!);
    const linked = hrefs(page.body.toString('utf8')).map((h) => new URL(h.replace(/&amp;/g, '&'), withPage.pageUrl).href);
    expect(linked.some((h) => h === withPage.url || withPage.aliases?.includes(h))).toBe(true);
  }, 180_000);

  it('serves the manifest on the control host', async () => {
    const r = await new Promise<Reply>((resolve, reject) => {
      http
        .get(`${web.proxyUrl}/__manifest.json`, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        })
        .on('error', reject);
    });
    expect(JSON.parse(r.body.toString('utf8'))).toEqual(web.manifest);
  });

  it('refuses hosts that are not simulated, and CONNECT tunnels', async () => {
    for (const u of ['http://www.gov.cn/', 'http://www.jiangxi.gov.cn/index.html', 'http://www.yongxiu.gov.cn/']) {
      expect((await viaProxy(web.port, u)).status).toBe(502);
    }
    const reply = await new Promise<string>((resolve, reject) => {
      const sock = net.connect(web.port, '127.0.0.1', () => sock.write('CONNECT www.gov.cn:443 HTTP/1.1\r\nHost: www.gov.cn:443\r\n\r\n'));
      let data = '';
      sock.on('data', (c) => (data += c.toString()));
      sock.on('end', () => resolve(data));
      sock.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 502/);
  });

  it('pages link real-looking external hosts that the proxy refuses', async () => {
    const home = (await viaProxy(web.port, web.sites[0]!.home)).body.toString('utf8');
    expect(home).toContain('http://www.gov.cn/');
  });

  it('sends GBK bytes declared only in <meta>', async () => {
    const site = web.sites.find((s) => s.charset === 'gbk')!;
    const r = await viaProxy(web.port, site.home);
    expect(r.headers['content-type']).toBe('text/html');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(r.body)).toThrow();
    const text = iconv.decode(r.body, 'gbk');
    expect(text).toContain('charset=gb2312');
    expect(text).toContain(`${site.name}人民政府`);
    expect(r.body.includes(iconv.encode(`${site.name}人民政府`, 'gbk'))).toBe(true);
  });

  it('Hanweb dataproxy pages the 年报 column correctly (GET page=N and POST record windows)', async () => {
    let multiPage = 0;
    for (const site of web.sites.filter((s) => s.family === 'hanweb')) {
      const countyReport = web.manifest.reports.find((r) => r.siteId === site.id && r.kind === 'html')!;
      const nbUrl = `http://${site.host}/col/col${countyReport.url.match(/art_(\d+)_/)![1]}/index.html`;
      // the column is reachable from the home page, directly or through the 年报 hub of unit sub-columns
      const fromHome = hrefs((await viaProxy(web.port, site.home)).body.toString('utf8')).filter((h) => h.includes('/col/col'));
      const twoHops = new Set(fromHome);
      for (const h of fromHome) for (const x of hrefs((await viaProxy(web.port, h)).body.toString('utf8'))) twoHops.add(x);
      expect(twoHops.has(nbUrl), nbUrl).toBe(true);
      const page = (await viaProxy(web.port, nbUrl!)).body.toString('utf8');
      const columnid = page.match(/var columnid = '(\d+)'/)![1]!;
      const unitid = page.match(/var unitid = '(\d+)'/)![1]!;
      const total = Number(page.match(/var totalRecord = (\d+)/)![1]);
      const perpage = Number(page.match(/var perpage = (\d+)/)![1]);
      const inline = [...page.matchAll(/<record><!\[CDATA\[<li><a href="([^"]+)"/g)].map((m) => m[1]!);
      expect(inline.length).toBe(Math.min(perpage, total));
      expect(hrefs(page.replace(/<script type="text\/xml">[\s\S]*?<\/script>/, ''))).not.toContain(inline[0]);

      const proxy = `http://${site.host}/module/web/jpage/dataproxy.jsp`;
      const pages = Math.ceil(total / perpage);
      if (pages > 1) multiPage++;
      const viaGet: string[] = [];
      for (let n = 1; n <= pages + 1; n++) {
        const xml = (await viaProxy(web.port, `${proxy}?page=${n}&columnid=${columnid}&unitid=${unitid}&perpage=${perpage}`)).body.toString(
          'utf8',
        );
        expect(xml).toContain(`<totalrecord>${total}</totalrecord>`);
        expect(xml).toContain(`<totalpage>${pages}</totalpage>`);
        viaGet.push(...[...xml.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]!));
      }
      const form = `col=1&appid=1&webid=1&path=%2F&columnid=${columnid}&sourceContentType=1&unitid=${unitid}&webname=x&permissiontype=0`;
      const viaPost: string[] = [];
      for (let start = 1; start <= total; start += perpage * 3) {
        const xml = (
          await viaProxy(web.port, `${proxy}?startrecord=${start}&endrecord=${start + perpage * 3 - 1}&perpage=${perpage}`, {
            method: 'POST',
            body: form,
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          })
        ).body.toString('utf8');
        viaPost.push(...[...xml.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]!));
      }
      expect(viaGet.length).toBe(total);
      expect(new Set(viaGet).size).toBe(total);
      expect(viaPost).toEqual(viaGet);
      expect(viaGet.slice(0, inline.length)).toEqual(inline);
      // every report page of the site that sits in this column is reachable from the pages
      const columnReports = web.manifest.reports.filter(
        (r) => r.siteId === site.id && r.kind === 'html' && r.url.includes(`/art_${columnid}_`),
      );
      const found = new Set(viaGet.map((h) => new URL(h, `http://${site.host}/`).href));
      for (const r of columnReports) expect(found.has(r.url), r.url).toBe(true);
    }
    expect(multiPage).toBeGreaterThan(1);
  }, 120_000);

  it('TRS lists link page 2 only through createPageHTML, and every index_k exists', async () => {
    let paged = 0;
    for (const site of web.sites.filter((s) => s.family === 'trs')) {
      const reports = web.manifest.reports.filter(
        (r) => r.siteId === site.id && r.kind === 'html' && !/\/(zfgzbg|tjxx|czyjs|wzndbb|fzzfjs)\//.test(r.url),
      );
      const dirs = new Map<string, ManifestReport[]>();
      for (const r of reports) {
        const dir = r.url.replace(/\d{6}\/t\d+_\d+\.shtml$/, '');
        dirs.set(dir, [...(dirs.get(dir) ?? []), r]);
      }
      if (site.nbLayout !== 'flat') expect(dirs.size).toBeGreaterThan(3);
      for (const [colDir, inDir] of dirs) {
        const first = (await viaProxy(web.port, `${colDir}index.shtml`)).body.toString('utf8');
        const [, count, current] = first.match(/createPageHTML\((\d+), (\d+), "index", "shtml"\)/)!;
        expect(Number(current)).toBe(0);
        if (Number(count) > 1) paged++;
        expect(hrefs(first)).not.toContain('index_1.shtml');
        const seen = new Set<string>();
        for (let k = 0; k < Number(count); k++) {
          const r = await viaProxy(web.port, `${colDir}${k === 0 ? 'index' : `index_${k}`}.shtml`);
          expect(r.status).toBe(200);
          for (const h of hrefs(r.body.toString('utf8'))) if (h.startsWith('./')) seen.add(new URL(h, colDir).href);
        }
        for (const r of inDir) expect(seen.has(r.url), r.url).toBe(true);
        const beyond = await viaProxy(web.port, `${colDir}index_${count}.shtml`);
        expect(beyond.status === 404 || beyond.body.toString('utf8').includes('页面不存在')).toBe(true);
      }
    }
    expect(paged).toBeGreaterThan(1);
  }, 120_000);

  it('serves 繁體 copies of some reports as aliases of the original', async () => {
    const originals = web.manifest.reports.filter((r) => r.kind === 'html' && r.aliases?.length);
    expect(originals.length).toBeGreaterThan(0);
    const o = originals[0]!;
    const copy = o.aliases![0]!;
    expect(new URL(copy).pathname).toBe(`/big5${new URL(o.url).pathname}`);
    const html = (await viaProxy(web.port, copy)).body.toString('utf8');
    expect(html).toMatch(/政府信息公開/);
    expect(html).toMatch(/[\u4e00-\u9fff]\([a-zāáǎàēéěèīíǐìōóǒòūúǔù]+\)/);
    const original = (await viaProxy(web.port, o.url)).body.toString('utf8');
    expect(original).toContain(`href="${new URL(copy).pathname}"`);
  });

  it('JS lists have an empty shell; the list API returns every item and repeats the last page past the end', async () => {
    for (const site of web.sites.filter((s) => s.family === 'jslist')) {
      const reports = web.manifest.reports.filter((r) => r.siteId === site.id && r.kind === 'html');
      const colDir = reports[0]!.url.replace(/\d{8}\/[0-9a-f-]+\.html$/, '');
      const shell = (await viaProxy(web.port, `${colDir}index.html`)).body.toString('utf8');
      expect(hrefs(shell).filter((h) => h.startsWith(colDir) && h !== `${colDir}index.html`)).toEqual([]);
      const categorynum = shell.match(/categorynum = '(\d+)'/)![1];
      const api = `http://${site.host}/EWB-FRONT/rest/lightfrontaction/getgovinfolist`;
      const call = async (pageIndex: number) =>
        JSON.parse(
          (
            await viaProxy(web.port, api, {
              method: 'POST',
              body: JSON.stringify({ siteGuid: 'x', categorynum, deptcode: '', pageIndex, pageSize: 10 }),
              headers: { 'Content-Type': 'application/json' },
            })
          ).body.toString('utf8'),
        ) as { custom: { data: { infourl: string }[]; total: number } };
      const p0 = await call(0);
      const pages = Math.ceil(p0.custom.total / 10);
      const all: string[] = [];
      for (let i = 0; i < pages; i++) all.push(...(await call(i)).custom.data.map((d) => `http://${site.host}${d.infourl}`));
      expect(new Set(all).size).toBe(p0.custom.total);
      for (const r of reports.filter((x) => x.url.startsWith(colDir))) expect(all).toContain(r.url);
      expect((await call(pages + 3)).custom.data).toEqual((await call(pages - 1)).custom.data);
    }
  }, 120_000);

  it('static lists link every page with <a>', async () => {
    const site = web.sites.find((s) => s.family === 'static')!;
    const reports = web.manifest.reports.filter((r) => r.siteId === site.id && r.kind === 'html');
    const colDir = reports[0]!.url.replace(/\d{4}\/\d{4}\/\d+\.html$/, '');
    const queue = [`${colDir}index.html`];
    const seenPages = new Set<string>();
    const items = new Set<string>();
    while (queue.length) {
      const u = queue.shift()!;
      if (seenPages.has(u)) continue;
      seenPages.add(u);
      const html = iconv.decode((await viaProxy(web.port, u)).body, site.charset === 'gbk' ? 'gbk' : 'utf8');
      for (const h of hrefs(html)) {
        const abs = new URL(h, u).href;
        if (/index(_\d+)?\.html$/.test(abs) && abs.startsWith(colDir)) queue.push(abs);
        else if (abs.startsWith(colDir)) items.add(abs);
      }
    }
    expect(seenPages.size).toBeGreaterThan(1);
    for (const r of reports.filter((x) => x.url.startsWith(colDir))) expect(items.has(r.url), r.url).toBe(true);
  }, 60_000);

  it("a reference crawl using each family's strategy reaches every report and decoy from the home pages", async () => {
    const reached = new Set<string>();
    await pool(web.sites, 4, async (site) => {
      const hosts = new Set([site.host, ...site.allowHosts]);
      const queue = [site.home];
      const seen = new Set<string>();
      const enqueue = (href: string, base: string) => {
        let u: URL;
        try {
          u = new URL(href.replace(/&amp;/g, '&'), base);
        } catch {
          return;
        }
        u.hash = '';
        if (u.protocol !== 'http:' || !hosts.has(u.hostname) || u.pathname.startsWith('/private/')) return;
        reached.add(u.href);
        // attachments are recorded, not fetched
        if (/\.(pdf|docx)$|downfile\.jsp|downloadZtZip/.test(u.href)) return;
        if (!seen.has(u.href)) {
          seen.add(u.href);
          queue.push(u.href);
        }
      };
      while (queue.length) {
        const url = queue.shift()!;
        const r = await viaProxy(web.port, url, { headers: { 'User-Agent': 'Mozilla/5.0' } });
        if (r.status !== 200 || !/html/.test(String(r.headers['content-type']))) continue;
        const html = site.charset === 'gbk' ? iconv.decode(r.body, 'gbk') : r.body.toString('utf8');
        for (const h of hrefs(html)) enqueue(h, url);
        const trs = html.match(/createPageHTML\((\d+), (\d+), "(\w+)", "(\w+)"\)/);
        if (trs) for (let k = 1; k < Number(trs[1]); k++) enqueue(`${trs[3]}_${k}.${trs[4]}`, url);
        const hanweb = html.match(/var columnid = '(\d+)'; var totalRecord = (\d+); var perpage = (\d+);/);
        if (hanweb) {
          const pages = Math.ceil(Number(hanweb[2]) / Number(hanweb[3]));
          for (let n = 2; n <= pages; n++) {
            const xml = (
              await viaProxy(
                web.port,
                `http://${new URL(url).host}/module/web/jpage/dataproxy.jsp?page=${n}&columnid=${hanweb[1]}&perpage=${hanweb[3]}`,
              )
            ).body.toString('utf8');
            for (const h of hrefs(xml)) enqueue(h, url);
          }
          for (const m of html.matchAll(/<record><!\[CDATA\[<li><a href="([^"]+)"/g)) enqueue(m[1]!, url);
        }
        const epoint = html.match(/categorynum = '(\d+)'/);
        if (epoint) {
          for (let i = 0, pages = 1; i < pages; i++) {
            const res = JSON.parse(
              (
                await viaProxy(web.port, `http://${new URL(url).host}/EWB-FRONT/rest/lightfrontaction/getgovinfolist`, {
                  method: 'POST',
                  body: JSON.stringify({ categorynum: epoint[1], pageIndex: i, pageSize: 20 }),
                  headers: { 'Content-Type': 'application/json' },
                })
              ).body.toString('utf8'),
            ) as { custom: { data: { infourl: string }[]; total: number } };
            pages = Math.ceil(res.custom.total / 20);
            for (const d of res.custom.data) enqueue(d.infourl, url);
          }
        }
      }
    });
    const unreached = [
      ...web.manifest.reports.filter((r) => ![r.url, ...(r.aliases ?? [])].some((u) => reached.has(u))).map((r) => r.url),
      ...web.manifest.reports.filter((r) => r.pageUrl && !reached.has(r.pageUrl)).map((r) => r.pageUrl!),
      ...web.manifest.decoys.filter((d) => d.type !== 'robots' && !reached.has(d.url)).map((d) => d.url),
    ];
    expect(unreached).toEqual([]);
    expect(reached.has(web.manifest.decoys.find((d) => d.type === 'robots')!.url)).toBe(false);
  }, 180_000);

  it('robots.txt disallows /private/ on one site, where a report-like decoy sits', async () => {
    const decoy = web.manifest.decoys.find((d) => d.type === 'robots')!;
    const u = new URL(decoy.url);
    const robots = (await viaProxy(web.port, `${u.origin}/robots.txt`)).body.toString('utf8');
    expect(robots).toMatch(/Disallow: \/private\//);
    expect((await viaProxy(web.port, decoy.url)).status).toBe(200);
  });

  it('answers unknown paths with a soft 404 on some sites and a real 404 on others', async () => {
    const statuses = await Promise.all(
      web.sites.map(async (s) => {
        const r = await viaProxy(web.port, `${s.home}no/such/page-${s.id}.html`);
        return [
          s.soft404,
          r.status,
          r.body.length > 0 && (s.charset === 'gbk' ? iconv.decode(r.body, 'gbk') : r.body.toString('utf8')).includes('页面不存在'),
        ] as const;
      }),
    );
    expect(statuses.some(([soft]) => soft)).toBe(true);
    expect(statuses.some(([soft]) => !soft)).toBe(true);
    for (const [soft, status, says404] of statuses) {
      expect(status).toBe(soft ? 200 : 404);
      expect(says404).toBe(soft);
    }
  });

  it('article pages carry the metadata the parser reads', async () => {
    const utf8 = new Set(web.sites.filter((s) => s.charset === 'utf-8').map((s) => s.id));
    const r = web.manifest.reports.find((x) => x.kind === 'html' && x.format === '2021' && utf8.has(x.siteId))!;
    const html = (await viaProxy(web.port, r.url)).body.toString('utf8');
    expect(html).toContain(`<meta name="ArticleTitle" content="${r.title}">`);
    expect(html).toContain(`<meta name="PubDate" content="${r.publishedAt}`);
    expect(html).toMatch(/发布时间：\d{4}-\d{2}-\d{2}/);
    expect(html).toContain('三、本年度办理结果');
    expect(html).toContain(`统计期限`);
  });
});
