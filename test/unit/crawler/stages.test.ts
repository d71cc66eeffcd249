import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crawlSite, type CandidateDocument, type CrawlError, type FetchedSnapshot } from '../../../src/crawler/index.ts';
import { linkToItem, P_REPORT_FILE, P_REPORT_LINK } from '../../../src/crawler/enqueueing.ts';
import { extractPage } from '../../../src/crawler/extract.ts';
import type { fetchOnce, RawResponse, RequestSpec } from '../../../src/crawler/fetching-http.ts';
import { Fetching } from '../../../src/crawler/fetching.ts';
import type { FrontierItem } from '../../../src/crawler/frontier.ts';
import { buildsContent, isChallenge, isListPage, judgePage } from '../../../src/crawler/judgement.ts';
import { FifoPicker, PickerRequestManager } from '../../../src/crawler/request-manager.ts';
import { parseRobots, robotsToken } from '../../../src/crawler/robots.ts';
import { makeHostFilter } from '../../../src/crawler/urls.ts';
import { CrawlDefaultsSchema, type Site } from '../../../src/schema/site-config.ts';

// The crawl's stages without a network: page judgement, enqueueing, the redirect and allow-list policy of
// fetching (through a fake wire), robots matching, and a whole Crawlee-driven crawl over a fake web.

const reportBody = (title: string) => `<h1>${title}</h1><p>本报告依据《中华人民共和国政府信息公开条例》编制。</p>
<p>一、总体情况</p><p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p><p>四、政府信息公开行政复议、行政诉讼情况</p>`;
const html = (title: string, body: string) =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;
const item = (over: Partial<FrontierItem> = {}): FrontierItem => ({
  url: 'http://h.test/',
  priority: 0,
  kind: 'page',
  context: 0,
  discoveredFrom: null,
  linkText: null,
  parentUrl: null,
  reportLink: false,
  ofReport: false,
  depth: 0,
  ...over,
});

describe('page judgement', () => {
  it('a page with a report title and report phrases is a report', () => {
    const t = '某县2021年政府信息公开工作年度报告';
    const info = extractPage(html(t, reportBody(t)), 'http://h.test/a/1.html');
    const j = judgePage(item(), info);
    expect(j.isReport).toBe(true);
    expect(j.title).toBe(t);
  });
  it('a notice about compiling the report is not a report, whatever its body says', () => {
    const t = '关于做好2021年度政府信息公开工作年度报告编制发布工作的通知';
    const info = extractPage(html(t, reportBody(t)), 'http://h.test/a/2.html');
    expect(judgePage(item(), info).isReport).toBe(false);
  });
  it('a column listing reports is a list, not a report', () => {
    const links = [2019, 2020, 2021].map((y) => `<li><a href="/a/${y}.html">某县${y}年政府信息公开工作年度报告</a></li>`).join('');
    const page = html('政府信息公开年报', `<ul>${links}</ul>`);
    const info = extractPage(page, 'http://h.test/a/');
    const j = judgePage(item({ linkText: '某县2021年政府信息公开工作年度报告' }), info);
    expect(j.isReport).toBe(false);
    expect(j.reportLinks).toBe(3);
    expect(isListPage(j, info, page, 'http://h.test/a/')).toBe(true);
  });
  it('tells JS cookie challenges and script-built shells', () => {
    const stub = Buffer.from('<html><script>document.cookie="x=1";location.reload()</script></html>');
    expect(isChallenge({ status: 521, body: stub })).toBe(true);
    expect(isChallenge({ status: 200, body: stub })).toBe(true);
    expect(isChallenge({ status: 200, body: Buffer.from(html('x', '<a href="/a">a</a>')) })).toBe(false);
    expect(buildsContent('<ul id="l"></ul><script>fetch("/api/list").then(r=>r.json())</script>')).toBe(true);
    expect(buildsContent('<script src="/js/jquery.min.js"></script>')).toBe(false);
  });
});

describe('enqueueing', () => {
  const page = { item: item({ priority: 8, depth: 2 }), pageUrl: 'http://h.test/xxgk/nb/', context: 10, inArea: true, onReport: false };
  it('report titles jump the queue; decoys are dropped; 图解 companions are kept at the bottom', () => {
    const r = linkToItem(page, {
      url: 'http://h.test/xxgk/nb/1.html',
      text: '某县2021年政府信息公开工作年度报告',
      attachment: false,
      chrome: false,
    });
    expect(r?.priority).toBe(P_REPORT_LINK + 10);
    expect(r?.reportLink).toBe(true);
    expect(r?.parentUrl).toBe(page.pageUrl);
    expect(r?.depth).toBe(3);
    expect(linkToItem(page, { url: 'http://h.test/x.html', text: '2022年某县政府工作报告', attachment: false, chrome: false })).toBeNull();
    expect(
      linkToItem(page, { url: 'http://h.test/t.html', text: '图解：某县2021年政府信息公开工作年度报告', attachment: false, chrome: false })
        ?.priority,
    ).toBe(0);
  });
  it('files of a report page come first; stray files elsewhere are not followed', () => {
    const onReport = { ...page, onReport: true };
    const f = linkToItem(onReport, { url: 'http://h.test/P0.pdf', text: '附件：统计表.pdf', attachment: true, chrome: false });
    expect(f?.priority).toBe(P_REPORT_FILE);
    expect(f?.ofReport).toBe(true);
    expect(f?.kind).toBe('attachment');
    expect(linkToItem(page, { url: 'http://h.test/guide.pdf', text: '办事指南', attachment: true, chrome: false })).toBeNull();
  });
  it('pager links of the same list keep at least the list priority', () => {
    const p = linkToItem(page, { url: 'http://h.test/xxgk/nb/index_2.html', text: '下一页', attachment: false, chrome: false });
    expect(p?.priority).toBeGreaterThanOrEqual(8);
  });
});

describe('request manager (the frontier as Crawlee sees it)', () => {
  it('serves the picker, stays open until closed when asked to, and counts handled requests', async () => {
    const picker = new FifoPicker<{ url: string }>();
    const rm = new PickerRequestManager(picker, { keepOpen: true });
    expect(await rm.isEmpty()).toBe(true);
    expect(await rm.isFinished()).toBe(false); // kept open
    picker.push({ url: 'http://h.test/a' });
    const r = await rm.fetchNextRequest();
    expect(r?.url).toBe('http://h.test/a');
    expect(await rm.isFinished()).toBe(false); // in progress
    await rm.markRequestHandled(r!);
    expect(await rm.handledCount()).toBe(1);
    rm.close();
    expect(await rm.isFinished()).toBe(true);
  });
  it('a reclaimed request comes back first', async () => {
    const picker = new FifoPicker<{ url: string }>();
    const rm = new PickerRequestManager(picker);
    picker.push({ url: 'http://h.test/a' });
    picker.push({ url: 'http://h.test/b' });
    const a = await rm.fetchNextRequest();
    await rm.reclaimRequest(a!);
    expect((await rm.fetchNextRequest())?.url).toBe('http://h.test/a');
  });
});

describe('robots.txt (robots-parser)', () => {
  const ua = 'Mozilla/5.0 Chrome/126.0 nianbao/0.1';
  it('the product token is the last name/version of the UA', () => {
    expect(robotsToken(ua)).toBe('nianbao');
  });
  it('Disallow: /年报/ blocks /年报/1.html in any percent-encoding', () => {
    const r = parseRobots('User-agent: *\nDisallow: /年报/\n', ua);
    expect(r.isAllowed('http://h.test/年报/1.html')).toBe(false);
    expect(r.isAllowed('http://h.test/%E5%B9%B4%E6%8A%A5/1.html')).toBe(false);
    expect(r.isAllowed('http://h.test/%e5%b9%b4%e6%8a%a5/1.html')).toBe(false);
    expect(r.isAllowed('https://h.test/%e5%b9%b4%e6%8a%a5/')).toBe(false);
    expect(r.isAllowed('http://h.test/年度/1.html')).toBe(true);
  });
  it('a percent-encoded rule blocks the raw path too', () => {
    const r = parseRobots('User-agent: *\nDisallow: /%e5%b9%b4%e6%8a%a5/\n', ua);
    expect(r.isAllowed('http://h.test/年报/1.html')).toBe(false);
  });
  it('groups for the same agent are merged', () => {
    const r = parseRobots(
      'User-agent: nianbao\nDisallow: /a/\n\nUser-agent: *\nDisallow: /\n\nUser-agent: nianbao\nDisallow: /b/\nCrawl-delay: 2\n',
      ua,
    );
    expect(r.isAllowed('http://h.test/a/x')).toBe(false);
    expect(r.isAllowed('http://h.test/b/x')).toBe(false);
    expect(r.isAllowed('http://h.test/c/x')).toBe(true);
    expect(r.crawlDelaySecs).toBe(2);
  });
});

describe('allow list by scheme, host and port', () => {
  it('a host without a port allows its default ports only', () => {
    const ok = makeHostFilter(['www.a.gov.cn.test']);
    expect(ok('http://www.a.gov.cn.test/')).toBe(true);
    expect(ok('https://a.gov.cn.test/x')).toBe(true);
    expect(ok('http://www.a.gov.cn.test:80/')).toBe(true);
    expect(ok('http://www.a.gov.cn.test:6379/')).toBe(false);
    expect(ok('https://www.a.gov.cn.test:8443/')).toBe(false);
    expect(ok('ftp://www.a.gov.cn.test/')).toBe(false);
  });
  it('a named port allows that port only', () => {
    const ok = makeHostFilter(['http://127.0.0.1:8001/zwgk/', '127.0.0.1:8002']);
    expect(ok('http://127.0.0.1:8001/x')).toBe(true);
    expect(ok('http://127.0.0.1:8002/x')).toBe(true);
    expect(ok('http://127.0.0.1:8003/x')).toBe(false);
    expect(ok('http://127.0.0.1/x')).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------- fake web

type Route = { status: number; headers?: Record<string, string>; body?: string | Buffer };
function fakeWire(routes: Record<string, Route>, log: string[]): typeof fetchOnce {
  return async (spec: RequestSpec) => {
    log.push(`${spec.method ?? 'GET'} ${spec.url}`);
    const r = routes[spec.url] ?? { status: 404, body: 'not found' };
    const body = r.body === undefined ? null : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body);
    const out: RawResponse = {
      requestedUrl: spec.url,
      finalUrl: spec.url,
      status: r.status,
      body,
      fetchedAt: new Date(0).toISOString(),
      headers: { 'content-type': 'text/html; charset=utf-8', ...r.headers },
    };
    return out;
  };
}

const defaults = CrawlDefaultsSchema.parse({ delayMs: 0, maxRetries: 1, requestTimeoutSecs: 5 });

describe('redirect policy (fetching, fake wire)', () => {
  const setup = (routes: Record<string, Route>) => {
    const log: string[] = [];
    const snaps: FetchedSnapshot[] = [];
    const errors: CrawlError[] = [];
    const stats = {
      skippedHosts: 0,
      robotsBlocked: 0,
      errors: 0,
      requests: 0,
    } as never as import('../../../src/crawler/types.ts').CrawlSiteStats;
    const site: Site = { id: 's', name: 's', regionCode: '000000', home: 'http://h.test/', allowHosts: ['x.h.test'], maxPages: 10 };
    const f = new Fetching({
      site,
      stats,
      seen: new Set(),
      allowed: makeHostFilter([site.home, ...site.allowHosts]),
      cookies: { header: async () => '', remember: async () => {} },
      options: {
        defaults,
        crawlRunId: null,
        transport: fakeWire(routes, log),
        onSnapshot: async (s) => {
          snaps.push(s);
        },
        onDocument: async () => {},
        onError: (e) => {
          errors.push(e);
        },
      },
    });
    return { f, log, snaps, errors, stats };
  };
  const robots = {
    'http://h.test/robots.txt': { status: 200, body: 'User-agent: *\nDisallow: /年报/\n' },
    'http://x.h.test/robots.txt': { status: 404 },
  };
  const meta = { discoveredFrom: null, linkText: null };

  it('follows allowed hops, snapshotting each, and checks robots on every hop', async () => {
    const { f, log, snaps } = setup({
      ...robots,
      'http://h.test/a': { status: 302, headers: { location: 'http://x.h.test/b' } },
      'http://x.h.test/b': { status: 301, headers: { location: '/c' } },
      'http://x.h.test/c': { status: 200, body: html('c', 'c') },
    });
    const r = await f.fetchUrl({ url: 'http://h.test/a' }, 'page', meta);
    expect(r?.finalUrl).toBe('http://x.h.test/c');
    expect(log).toEqual([
      'GET http://h.test/robots.txt',
      'GET http://h.test/a',
      'GET http://x.h.test/robots.txt',
      'GET http://x.h.test/b',
      'GET http://x.h.test/c',
    ]);
    expect(snaps.map((s) => `${s.kind} ${s.status}`)).toEqual(['robots 200', 'page 302', 'robots 404', 'page 301', 'page 200']);
  });
  it('refuses a redirect to another host or to another port of an allowed host', async () => {
    for (const target of ['http://evil.test/x', 'http://h.test:6379/', 'https://h.test:8443/']) {
      const { f, log, errors, stats } = setup({ ...robots, 'http://h.test/a': { status: 302, headers: { location: target } } });
      expect(await f.fetchUrl({ url: 'http://h.test/a' }, 'page', meta)).toBeNull();
      expect(log).toEqual(['GET http://h.test/robots.txt', 'GET http://h.test/a']);
      expect(errors.map((e) => e.code)).toEqual(['host_not_allowed']);
      expect(stats.skippedHosts).toBe(1);
    }
  });
  it('refuses a redirect into a robots-disallowed path, in any encoding', async () => {
    const { f, log, errors } = setup({
      ...robots,
      'http://h.test/a': { status: 302, headers: { location: '/%e5%b9%b4%e6%8a%a5/1.html' } },
    });
    expect(await f.fetchUrl({ url: 'http://h.test/a' }, 'page', meta)).toBeNull();
    expect(log).toEqual(['GET http://h.test/robots.txt', 'GET http://h.test/a']);
    expect(errors.map((e) => e.code)).toEqual(['robots_disallowed']);
  });
  it('retries a 503 and falls back from a refusing https to http', async () => {
    const { f, log } = setup({
      ...robots,
      'https://h.test/robots.txt': { status: 404 },
      'https://h.test/p': { status: 403, body: 'forbidden' },
      'http://h.test/p': { status: 200, body: html('p', 'p') },
    });
    const r = await f.fetchUrl({ url: 'https://h.test/p' }, 'page', meta);
    expect(r?.finalUrl).toBe('http://h.test/p');
    expect(log.filter((l) => !l.endsWith('robots.txt'))).toEqual(['GET https://h.test/p', 'GET http://h.test/p']);
  });
  it('gives up a host whose robots.txt keeps failing', async () => {
    const { f, log } = setup({ 'http://h.test/robots.txt': { status: 503 }, 'http://h.test/a': { status: 200, body: 'x' } });
    expect(await f.fetchUrl({ url: 'http://h.test/a' }, 'page', meta)).toBeNull();
    expect(log).toEqual(['GET http://h.test/robots.txt', 'GET http://h.test/robots.txt']);
  });
});

describe('a whole crawl on Crawlee over a fake web', () => {
  it('finds the report and its file, skips decoys, robots-disallowed paths and foreign ports, and leaves no storage folder', async () => {
    const H = 'http://www.c.gov.cn.test';
    const t = '某县2021年政府信息公开工作年度报告';
    const routes: Record<string, Route> = {
      [`${H}/robots.txt`]: { status: 200, body: 'User-agent: *\nDisallow: /年报/\n' },
      [`${H}/`]: {
        status: 200,
        body: html('某县人民政府', `<a href="${H}/zfxxgk/">政府信息公开</a><a href="${H}:6379/">信息公开年报</a>`),
      },
      [`${H}/zfxxgk/`]: {
        status: 200,
        body: html('政府信息公开', `<a href="${H}/zfxxgk/nb/">政府信息公开年报</a><a href="${H}/年报/">政府信息公开年报（旧）</a>`),
      },
      [`${H}/zfxxgk/nb/`]: {
        status: 200,
        body: html(
          '政府信息公开年报',
          `<ul><li><a href="${H}/zfxxgk/nb/1.html">${t}</a></li>
<li><a href="${H}/zfxxgk/nb/9.html">关于报送2021年政府信息公开工作年度报告的通知</a></li><li><a href="${H}/zfxxgk/nb/2.html">某县2020年政府信息公开工作年度报告</a></li></ul>`,
        ),
      },
      [`${H}/zfxxgk/nb/1.html`]: {
        status: 200,
        body: html(
          t,
          reportBody(t) +
            `<a href="${H}/zfxxgk/nb/P01.pdf">附件：统计表.pdf</a><div class="page">共2页 <span>1</span> <a href="1_2.html">2</a> <a href="1_2.html">下一页</a></div>`,
        ),
      },
      [`${H}/zfxxgk/nb/1_2.html`]: {
        status: 200,
        body: html(t, `${reportBody(t)}<p>五、存在的主要问题及改进情况</p><div class="page">共2页 <a href="1.html">上一页</a></div>`),
      },
      [`${H}/zfxxgk/nb/2.html`]: { status: 302, headers: { location: `${H}/%E5%B9%B4%E6%8A%A5/2.html` } },
      [`${H}/zfxxgk/nb/P01.pdf`]: { status: 200, headers: { 'content-type': 'application/pdf' }, body: '%PDF-1.4 fake' },
    };
    const log: string[] = [];
    const docs: CandidateDocument[] = [];
    const snaps: FetchedSnapshot[] = [];
    const cwd = process.cwd();
    const dir = mkdtempSync(join(tmpdir(), 'nianbao-crawl-'));
    process.chdir(dir);
    try {
      const stats = await crawlSite(
        { id: 'c', name: '某县', regionCode: '000000', home: `${H}/`, allowHosts: [], maxPages: 50 },
        {
          defaults,
          crawlRunId: null,
          browser: false,
          transport: fakeWire(routes, log),
          onSnapshot: async (s) => {
            snaps.push(s);
          },
          onDocument: async (d) => {
            docs.push(d);
          },
        },
      );
      expect(docs.map((d) => `${d.role} ${d.url}`).sort()).toEqual([
        `attachment ${H}/zfxxgk/nb/P01.pdf`,
        `report-page ${H}/zfxxgk/nb/1.html`,
      ]);
      expect(docs.find((d) => d.role === 'attachment')?.parentUrl).toBe(`${H}/zfxxgk/nb/1.html`);
      // a report split over two pages is one report, its second page carried along and snapshotted
      const page = docs.find((d) => d.role === 'report-page')!;
      expect(page.continuation?.map((c) => c.url)).toEqual([`${H}/zfxxgk/nb/1_2.html`]);
      expect(page.continuation?.[0].body.toString()).toContain('五、存在的主要问题');
      expect(snaps.filter((s) => s.requestedUrl === `${H}/zfxxgk/nb/1_2.html` && s.kind === 'report')).toHaveLength(1);
      expect(log.some((l) => l.includes(':6379'))).toBe(false);
      expect(log.some((l) => /%E5%B9%B4|年报/i.test(l))).toBe(false);
      expect(log[0]).toBe(`GET ${H}/robots.txt`);
      expect(stats.robotsBlocked).toBeGreaterThanOrEqual(2);
      expect(stats.skippedHosts).toBeGreaterThanOrEqual(1);
      expect(new Set(snaps.map((s) => s.requestedUrl))).toEqual(new Set(log.map((l) => l.slice(4))));
      expect(existsSync(join(dir, 'storage'))).toBe(false);
    } finally {
      process.chdir(cwd);
    }
  }, 30_000);
});
