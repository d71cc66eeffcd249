import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { parseRobots } from '../../../src/crawler/robots.ts';
import { makeHostFilter, normaliseUrl, resolveHref, urlKey, looksLikeAttachmentUrl } from '../../../src/crawler/urls.ts';
import { decodeHtml, sniffKind } from '../../../src/crawler/decode.ts';
import { Frontier, type FrontierItem } from '../../../src/crawler/frontier.ts';
import { backoffMs, isRetryable } from '../../../src/crawler/fetching-http.ts';
import { gateKey, MemoryHostGate } from '../../../src/crawler/host-gate.ts';
import { extractPage, hasReportBodyMarkers } from '../../../src/crawler/extract.ts';

describe('robots', () => {
  const ua = 'Mozilla/5.0 Chrome/126.0 nianbao/0.1';
  it('honours Disallow with longest match and Allow ties', () => {
    const r = parseRobots('User-agent: *\nDisallow: /private/\nAllow: /private/ok\nDisallow: /*.pdf$\n', ua);
    expect(r.isAllowed('http://h/private/x.html')).toBe(false);
    expect(r.isAllowed('http://h/private/ok.html')).toBe(true);
    expect(r.isAllowed('http://h/a/b.pdf')).toBe(false);
    expect(r.isAllowed('http://h/a/b.pdf?x=1')).toBe(true);
    expect(r.isAllowed('http://h/zwgk/')).toBe(true);
  });
  it('Disallow: / blocks everything; empty Disallow allows', () => {
    expect(parseRobots('User-agent: *\nDisallow: /', ua).isAllowed('http://h/')).toBe(false);
    expect(parseRobots('User-agent: *\nDisallow:', ua).isAllowed('http://h/x')).toBe(true);
  });
  it('picks the group naming our agent', () => {
    const r = parseRobots('User-agent: *\nDisallow: /\n\nUser-agent: nianbao\nDisallow: /tmp/\n', ua);
    expect(r.isAllowed('http://h/zwgk/')).toBe(true);
    expect(r.isAllowed('http://h/tmp/a')).toBe(false);
  });
});

describe('urls', () => {
  it('drops fragments but keeps SPA routes', () => {
    expect(normaliseUrl('http://H.test/a#top')).toBe('http://h.test/a');
    expect(normaliseUrl('http://h.test/gkmlpt/annualreport#2501')).toBe('http://h.test/gkmlpt/annualreport#2501');
  });
  it('keys are scheme and www insensitive', () => {
    expect(urlKey('https://www.a.gov.cn.test/x?y=1')).toBe(urlKey('http://a.gov.cn.test/x?y=1'));
    expect(urlKey('http://a.test/x')).not.toBe(urlKey('http://a.test/y'));
  });
  it('resolves hrefs and rejects pseudo-links', () => {
    expect(resolveHref('./P0202.pdf', 'http://h/zwgk/202203/t1.shtml')).toBe('http://h/zwgk/202203/P0202.pdf');
    expect(resolveHref('javascript:void(0)', 'http://h/')).toBeNull();
    expect(resolveHref('mailto:a@b', 'http://h/')).toBeNull();
  });
  it('filters hosts, with www variants', () => {
    const ok = makeHostFilter(['www.a.gov.cn.test', 'xxgk.a.gov.cn.test']);
    expect(ok('http://a.gov.cn.test/')).toBe(true);
    expect(ok('https://xxgk.a.gov.cn.test/x')).toBe(true);
    expect(ok('http://www.gov.cn/')).toBe(false);
    expect(ok('http://evil.a.gov.cn.test.example/')).toBe(false);
  });
  it('spots attachment URLs', () => {
    expect(looksLikeAttachmentUrl('http://h/module/download/downfile.jsp?classid=0&filename=ab.pdf')).toBe(true);
    expect(looksLikeAttachmentUrl('http://h/a/P020220301.PDF')).toBe(true);
    expect(looksLikeAttachmentUrl('http://h/a/t2022_1.shtml')).toBe(false);
  });
});

describe('decoding', () => {
  const html = '<html><head><meta charset="gb2312"><title>政府信息公开年报</title></head><body>年报</body></html>';
  it('uses <meta> when the header is silent', () => {
    expect(decodeHtml(iconv.encode(html, 'gbk'), 'text/html').text).toContain('政府信息公开年报');
  });
  it('ignores a lying utf-8 header on GBK bytes', () => {
    expect(decodeHtml(iconv.encode(html, 'gbk'), 'text/html; charset=utf-8').text).toContain('政府信息公开年报');
  });
  it('falls back to GB18030 when nothing is declared', () => {
    const bare = iconv.encode('<p>永修县政府信息公开</p>', 'gbk');
    expect(decodeHtml(bare).encoding).toBe('gb18030');
    expect(decodeHtml(bare).text).toContain('永修县');
  });
  it('sniffs magic bytes', () => {
    expect(sniffKind(Buffer.from('%PDF-1.7'))).toBe('pdf');
    expect(sniffKind(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1]))).toBe('ole');
    expect(sniffKind(Buffer.from('PK\x03\x04rest', 'latin1'))).toBe('zip');
    expect(sniffKind(Buffer.from('  <!DOCTYPE html><html>'))).toBe('html');
  });
});

describe('frontier and politeness', () => {
  const item = (url: string, priority: number): FrontierItem => ({
    url,
    priority,
    kind: 'page',
    context: 0,
    discoveredFrom: null,
    linkText: null,
    parentUrl: null,
    reportLink: false,
    ofReport: false,
    depth: 0,
  });
  it('pops best first, FIFO among equals', () => {
    const f = new Frontier();
    for (const [u, p] of [
      ['a', 1],
      ['b', 5],
      ['c', 5],
      ['d', 3],
      ['e', 10],
    ] as const)
      f.push(item(u, p));
    expect(Array.from({ length: 5 }, () => f.pop()!.url)).toEqual(['e', 'b', 'c', 'd', 'a']);
    expect(f.pop()).toBeUndefined();
  });
  it('HostGate caps concurrency and spaces starts per host', async () => {
    const gate = new MemoryHostGate(2, 30);
    let active = 0;
    let peak = 0;
    const starts: number[] = [];
    const job = () =>
      gate.run('h', async () => {
        starts.push(Date.now());
        peak = Math.max(peak, ++active);
        await new Promise((r) => setTimeout(r, 50));
        active--;
      });
    await Promise.all([job(), job(), job(), job(), job()]);
    expect(peak).toBeLessThanOrEqual(2);
    for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(28);
  });
  it('HostGate.setDelay widens spacing for one host only', async () => {
    const gate = new MemoryHostGate(1, 0);
    gate.setDelay('slow', 80);
    const t: Record<string, number[]> = { slow: [], fast: [] };
    await Promise.all(
      ['slow', 'slow', 'fast', 'fast'].map((h) =>
        gate.run(h, async () => {
          t[h].push(Date.now());
        }),
      ),
    );
    expect(t.slow[1] - t.slow[0]).toBeGreaterThanOrEqual(75);
    expect(t.fast[1] - t.fast[0]).toBeLessThan(60);
  });
  it('HostGate applies the strictest limits of the sites sharing a host', async () => {
    const gate = new MemoryHostGate(4, 0);
    const strict = { maxConcurrency: 1, delayMs: 40 };
    const loose = { maxConcurrency: 3, delayMs: 0 };
    let active = 0;
    let peak = 0;
    const starts: number[] = [];
    const job = (limits: typeof strict) =>
      gate.run(
        'http://xxgk.city.gov.cn',
        async () => {
          starts.push(Date.now());
          peak = Math.max(peak, ++active);
          await new Promise((r) => setTimeout(r, 10));
          active--;
        },
        { limits },
      );
    await Promise.all([job(strict), job(loose), job(loose), job(loose)]);
    expect(peak).toBe(1);
    for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(38);
  });
  it('gateKey is host and port, whatever the scheme (http and https reach one server)', () => {
    expect(gateKey('http://XXGK.City.gov.cn/a/b?c')).toBe('xxgk.city.gov.cn');
    expect(gateKey('http://xxgk.city.gov.cn:80/')).toBe('xxgk.city.gov.cn');
    expect(gateKey('https://xxgk.city.gov.cn/')).toBe('xxgk.city.gov.cn');
    expect(gateKey('https://xxgk.city.gov.cn:443/')).toBe('xxgk.city.gov.cn');
    expect(gateKey('http://127.0.0.1:8001/x')).toBe('127.0.0.1:8001');
  });

  it('retries 5xx, 429 and network errors, not 4xx', () => {
    const r = (status: number, error?: string) => ({
      requestedUrl: '',
      finalUrl: '',
      status,
      headers: {},
      body: null,
      fetchedAt: '',
      error,
    });
    expect(isRetryable(r(503))).toBe(true);
    expect(isRetryable(r(429))).toBe(true);
    expect(isRetryable(r(0, 'ECONNRESET'))).toBe(true);
    expect(isRetryable(r(404))).toBe(false);
    expect(isRetryable(r(200))).toBe(false);
    expect(backoffMs(0, 100)).toBe(100);
    expect(backoffMs(2, 100)).toBe(900);
    expect(backoffMs(0, 100, '2')).toBe(2000);
  });
});

describe('extractPage', () => {
  it('reads title, ColumnName, breadcrumb, links, attachments and the Hanweb inline group', () => {
    const html = `<html><head><title>t</title><meta name="ArticleTitle" content="X县2021年政府信息公开工作年度报告"><meta name="ColumnName" content="政府信息公开年报"></head>
<body><div class="nav"><a href="/zwgk/">政务公开</a></div><div class="location">当前位置：首页 &gt; 年报</div>
<p class="insertfileTag"><a appendix="true" href="./P0.pdf" OLDSRC="/protect/P0.pdf">附件</a></p>
<a href="/module/download/downfile.jsp?classid=0&filename=ab.pdf">下载</a>
<script type="text/xml"><datastore><recordset><record><![CDATA[<li><a href="/art/2022/1/2/art_5_6.html" title="全名">短</a></li>]]></record></recordset></datastore></script>
</body></html>`;
    const p = extractPage(html, 'http://h.test/zwgk/nb/t1.shtml');
    expect(p.title).toBe('X县2021年政府信息公开工作年度报告');
    expect(p.columnName).toBe('政府信息公开年报');
    expect(p.breadcrumb).toContain('年报');
    const byUrl = new Map(p.links.map((l) => [l.url, l]));
    expect(byUrl.get('http://h.test/zwgk/')?.chrome).toBe(true);
    expect(byUrl.get('http://h.test/zwgk/nb/P0.pdf')?.attachment).toBe(true);
    expect(byUrl.get('http://h.test/module/download/downfile.jsp?classid=0&filename=ab.pdf')?.attachment).toBe(true);
    expect(byUrl.get('http://h.test/art/2022/1/2/art_5_6.html')).toMatchObject({ text: '全名', record: true });
  });
  it('knows a report body', () => {
    expect(hasReportBodyMarkers('根据《中华人民共和国政府信息公开条例》……一、总体情况 二、主动公开政府信息情况')).toBe(true);
    expect(hasReportBodyMarkers('全县地区生产总值完成100亿元')).toBe(false);
  });
});

describe('related links', () => {
  it('marks 上一篇/下一篇 neighbours so an article is not taken for a list', () => {
    const p = extractPage(
      `<body><div class="main"><p>上一篇：<a href="/a/1.html">X县2020年政府信息公开工作年度报告</a></p>
<ul><li><a href="/a/2.html">X县2019年政府信息公开工作年度报告</a></li></ul></div></body>`,
      'http://h.test/a/0.html',
    );
    expect(p.links.find((l) => l.url.endsWith('/a/1.html'))?.related).toBe(true);
    expect(p.links.find((l) => l.url.endsWith('/a/2.html'))?.related).toBe(false);
  });
});

describe('fetchOnce over plain HTTP', () => {
  it('decompresses, truncates at maxBytes and never throws on network errors', async () => {
    const http = await import('node:http');
    const zlib = await import('node:zlib');
    const { fetchOnce, TRUNCATED } = await import('../../../src/crawler/fetching-http.ts');
    const server = http.createServer((req, res) => {
      if (req.url === '/gz') {
        res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'text/html' });
        res.end(zlib.gzipSync(Buffer.from('<p>压缩</p>')));
      } else {
        res.writeHead(200, { 'content-type': 'application/pdf' });
        res.end(Buffer.alloc(100_000, 65));
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const opts = {
      userAgent: 'UA',
      timeoutMs: 5000,
      maxBytes: 1000,
      gate: new MemoryHostGate(2, 0),
      cookies: { header: async () => '', remember: async () => {} },
    };
    try {
      const gz = await fetchOnce({ url: `${base}/gz` }, opts);
      expect(gz.body!.toString()).toBe('<p>压缩</p>');
      const big = await fetchOnce({ url: `${base}/big.pdf` }, opts);
      expect(big.error).toBe(TRUNCATED);
      expect(big.body!.length).toBeLessThanOrEqual(100_000);
      const dead = await fetchOnce({ url: 'http://127.0.0.1:9/x' }, opts);
      expect(dead.status).toBe(0);
      expect(dead.error).toBeTruthy();
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
